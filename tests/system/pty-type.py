#!/usr/bin/env python3
"""pty-type.py COMMAND [ARGS...]: run COMMAND on a pseudo-terminal, as an
operator at a terminal would; when it prompts ("PIN for repository ...: "),
type the value of $PTY_ANSWER and Enter. Everything the command writes
(stdout, stderr and any echo) goes to our stdout; the exit status is the
command's. The answer comes from the environment so that it never appears
in any process's argv."""
import os
import pty
import select
import sys

answer = os.environ.get("PTY_ANSWER", "").encode()
prompt = os.environ.get("PTY_PROMPT", "PIN for repository").encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
typed = 0
while True:
    ready, _, _ = select.select([fd], [], [], 120)
    if not ready:
        break
    try:
        data = os.read(fd, 4096)
    except OSError:  # EIO once the command has closed the terminal
        break
    if not data:
        break
    out += data
    # one answer per prompt (several repositories ask in turn)
    if out.count(prompt) > typed and out.rstrip().endswith(b":"):
        os.write(fd, answer + b"\n")
        typed += 1
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
