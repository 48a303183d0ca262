#!/bin/sh
# check-rcd.sh -- TAP checks of the configured FreeBSD rc.d scripts.
#
#   check-rcd.sh RUNDIR CONFFILE SCRIPT...
#
# For each script: it parses (sh -n); every @token@ was substituted; it sets
# what rc.subr needs (name, rcvar, command, command_args, pidfile,
# required_files, extra_commands="reload" and a reload_cmd that runs
# "odsctl -c CONFIG enforcer|signer reload"); and its defaults and rc.conf
# overrides come out right. rc.subr exists only on FreeBSD: for the last
# check the script runs with its ". /etc/rc.subr" line pointing at a
# stand-in that, like rc.subr, provides load_rc_config (rc.conf values come
# from the environment here) and run_rc_command (here: print the variables
# rc.subr would use).
set -u
rundir=$1
conffile=$2
shift 2

n=0
fails=0
ok() { # ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ods-test-rcd-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/rc.subr" <<'STANDIN'
load_rc_config() { :; }
run_rc_command() {
	eval "enable=\${${rcvar}:-}"
	printf 'name=%s\nrcvar=%s\nenable=%s\ncommand=%s\ncommand_args=%s\npidfile=%s\n' \
		"$name" "$rcvar" "$enable" "$command" "$command_args" "$pidfile"
	printf 'required_files=%s\nextra_commands=%s\nreload_cmd=%s\narg=%s\n' \
		"$required_files" "$extra_commands" "$reload_cmd" "$1"
}
STANDIN

# expect FILE KEY VALUE DESCRIPTION
expect() {
	grep -qxF "$2=$3" "$1"
	ok $? "$4 ($2=$3)"
}

for script in "$@"; do
	d=$(basename "$script")
	case $d in
	enforcerd) role=enforcer ;;
	signerd) role=signer ;;
	*) role=unknown ;;
	esac
	sh -n "$script"
	ok $? "$d: sh -n"
	! grep -q '@[a-z_]*@' "$script"
	ok $? "$d: every @token@ substituted"
	head -n 1 "$script" | grep -qx '#!/bin/sh'
	ok $? "$d: #!/bin/sh"
	for kw in PROVIDE REQUIRE KEYWORD; do
		grep -q "^# $kw: " "$script"
		ok $? "$d: rcorder $kw line"
	done
	grep -q "^# PROVIDE: $d\$" "$script"
	ok $? "$d: provides $d"
	grep -qF "odsctl -c \"\${${d}_config}\" $role reload" "$script"
	ok $? "$d: reload runs odsctl $role reload with the configured file"
	grep -q "^${d}_reload()" "$script"
	ok $? "$d: defines ${d}_reload"

	sed "s|^\. /etc/rc.subr\$|. $tmp/rc.subr|" "$script" > "$tmp/$d"
	grep -q "^\. $tmp/rc.subr\$" "$tmp/$d"
	ok $? "$d: sources /etc/rc.subr"

	env -i PATH="$PATH" sh "$tmp/$d" start > "$tmp/out" 2>&1
	ok $? "$d: runs with defaults"
	expect "$tmp/out" name "$d" "$d: name"
	expect "$tmp/out" rcvar "${d}_enable" "$d: rcvar"
	expect "$tmp/out" enable NO "$d: disabled unless rc.conf enables it"
	grep -qx "command=/.*/$d" "$tmp/out"
	ok $? "$d: command is an absolute path to $d"
	expect "$tmp/out" command_args "-c $conffile" "$d: default configuration"
	expect "$tmp/out" pidfile "$rundir/$d.pid" "$d: default pid file"
	expect "$tmp/out" required_files "$conffile" "$d: requires the configuration"
	expect "$tmp/out" extra_commands reload "$d: offers reload"
	expect "$tmp/out" reload_cmd "${d}_reload" "$d: reload command"
	expect "$tmp/out" arg start "$d: passes the rc argument on"

	env -i PATH="$PATH" "${d}_enable=YES" "${d}_config=/x/y/conf.xml" \
		"${d}_pidfile=/x/run/$d.pid" sh "$tmp/$d" reload > "$tmp/out" 2>&1
	expect "$tmp/out" enable YES "$d: rc.conf enables it"
	expect "$tmp/out" command_args "-c /x/y/conf.xml" "$d: rc.conf ${d}_config"
	expect "$tmp/out" required_files "/x/y/conf.xml" "$d: required file follows ${d}_config"
	expect "$tmp/out" pidfile "/x/run/$d.pid" "$d: rc.conf ${d}_pidfile"
done

echo "1..$n"
[ "$fails" -eq 0 ]
