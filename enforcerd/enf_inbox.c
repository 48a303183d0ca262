/* enf_inbox.c -- work handed from threads to the event loop (see enf_inbox.h). */
#include "enf_inbox.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct item {
    struct item *next;
    enf_inbox_fn fn;
    void *arg;
} item_t;

struct enf_inbox {
    pthread_mutex_t lock;
    item_t *head, *tail;
    int fds[2]; /* self-pipe: [0] read by the loop, [1] written by posters */
    struct event *ev;
};

static void drain(int fd)
{
    char buf[64];
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
}

void enf_inbox_run(enf_inbox_t *ib)
{
    pthread_mutex_lock(&ib->lock);
    item_t *list = ib->head;
    ib->head = ib->tail = NULL;
    pthread_mutex_unlock(&ib->lock);
    while (list) {
        item_t *next = list->next;
        list->fn(list->arg);
        free(list);
        list = next;
    }
}

static void on_wake(evutil_socket_t fd, short what, void *arg)
{
    drain(fd);
    enf_inbox_run(arg);
}

static int make_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

int enf_inbox_new(struct event_base *base, enf_inbox_t **out, ods_err_t *err)
{
    enf_inbox_t *ib = calloc(1, sizeof(*ib));
    if (!ib)
        return ods_err_set(err, ODS_ENOMEM, "out of memory");
    pthread_mutex_init(&ib->lock, NULL);
    if (make_pipe(ib->fds) != 0) {
        int e = errno;
        pthread_mutex_destroy(&ib->lock);
        free(ib);
        return ods_err_set(err, ODS_EIO, "cannot create a pipe: %s", strerror(e));
    }
    ib->ev = event_new(base, ib->fds[0], EV_READ | EV_PERSIST, on_wake, ib);
    if (!ib->ev || event_add(ib->ev, NULL) != 0) {
        enf_inbox_free(ib);
        return ods_err_set(err, ODS_ENOMEM, "cannot register the inbox with the event loop");
    }
    *out = ib;
    return ODS_OK;
}

void enf_inbox_free(enf_inbox_t *ib)
{
    if (!ib)
        return;
    enf_inbox_run(ib);
    if (ib->ev)
        event_free(ib->ev);
    close(ib->fds[0]);
    close(ib->fds[1]);
    pthread_mutex_destroy(&ib->lock);
    free(ib);
}

int enf_inbox_post(enf_inbox_t *ib, enf_inbox_fn fn, void *arg)
{
    item_t *it = malloc(sizeof(*it));
    if (!it)
        return ODS_ENOMEM;
    it->next = NULL;
    it->fn = fn;
    it->arg = arg;
    pthread_mutex_lock(&ib->lock);
    int was_empty = ib->head == NULL;
    if (ib->tail)
        ib->tail->next = it;
    else
        ib->head = it;
    ib->tail = it;
    pthread_mutex_unlock(&ib->lock);
    if (was_empty) {
        char c = 1;
        ssize_t w = write(ib->fds[1], &c, 1); /* EAGAIN: a wake-up is pending anyway */
        (void)w;
    }
    return ODS_OK;
}
