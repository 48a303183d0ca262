/* notify.c -- sd_notify-compatible datagrams to the service manager (see notify.h). */
#include "svc/notify.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Fill sa from a $NOTIFY_SOCKET value: "/path" or "@abstract". */
static int notify_addr(const char *address, struct sockaddr_un *sa, socklen_t *len, ods_err_t *err)
{
    size_t n = strlen(address);
    if ((address[0] != '/' && address[0] != '@') || n < 2)
        return ods_err_set(err, ODS_EINVAL,
                           "%s='%s' is neither an absolute path nor an abstract socket ('@name')",
                           ODS_SVC_NOTIFY_ENV, address);
    if (n > sizeof(sa->sun_path) - (address[0] == '/'))
        return ods_err_set(err, ODS_EINVAL, "%s='%s' is too long for a socket address",
                           ODS_SVC_NOTIFY_ENV, address);
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    memcpy(sa->sun_path, address, n);
    if (address[0] == '@')
        sa->sun_path[0] = '\0'; /* abstract namespace: no terminating NUL counted */
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (address[0] == '/'));
    return ODS_OK;
}

int ods_svc_notify_send(const char *address, const char *state, ods_err_t *err)
{
    if (address == NULL || address[0] == '\0')
        return ODS_OK;
    struct sockaddr_un sa;
    socklen_t salen = 0;
    int rc = notify_addr(address, &sa, &salen, err);
    if (rc != ODS_OK)
        return rc;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return ods_err_set(err, ODS_EIO, "cannot create a socket to notify the service manager: %s",
                           strerror(errno));
    ssize_t sent;
    do {
        sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
    } while (sent < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    if (sent < 0)
        return ods_err_set(err, ODS_EIO, "cannot notify the service manager at %s: %s", address,
                           strerror(saved));
    return ODS_OK;
}
