/* events.c -- the list of things an engine run did or asks for (see events.h). */
#include "engine/events.h"

#include "util/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void enf_events_init(enf_events_t *e)
{
    memset(e, 0, sizeof(*e));
}

void enf_events_free(enf_events_t *e)
{
    if (!e)
        return;
    free(e->ev);
    memset(e, 0, sizeof(*e));
}

void enf_events_clear(enf_events_t *e)
{
    e->count = 0;
    e->status = ODS_OK;
}

static int events_grow(enf_events_t *e)
{
    if (e->count < e->cap)
        return ODS_OK;
    size_t cap = e->cap ? e->cap * 2 : 16;
    enf_event_t *ev = realloc(e->ev, cap * sizeof(*ev));
    if (!ev)
        return ODS_ENOMEM;
    e->ev = ev;
    e->cap = cap;
    return ODS_OK;
}

void enf_events_add(enf_events_t *e, enf_event_type_t type, const enf_key_t *k, const char *fmt,
                    ...)
{
    if (!e)
        return;
    if (events_grow(e) != ODS_OK) {
        e->status = ODS_ENOMEM;
        return;
    }
    enf_event_t *ev = &e->ev[e->count++];
    memset(ev, 0, sizeof(*ev));
    ev->type = type;
    if (k) {
        ev->key_id = k->id;
        ev->role = k->role;
        ev->algorithm = k->algorithm;
        ev->keytag = k->keytag;
        memcpy(ev->locator, k->locator, sizeof(ev->locator));
        memcpy(ev->repository, k->repository, sizeof(ev->repository));
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev->text, sizeof(ev->text), fmt, ap);
    va_end(ap);
}

size_t enf_events_count(const enf_events_t *e, enf_event_type_t type)
{
    size_t n = 0;
    for (size_t i = 0; i < e->count; i++)
        n += e->ev[i].type == type;
    return n;
}

int enf_events_changed(const enf_events_t *e)
{
    for (size_t i = 0; i < e->count; i++) {
        switch (e->ev[i].type) {
        case ENF_EV_TRANSITION:
        case ENF_EV_KEY_NEW:
        case ENF_EV_KEY_RETIRE:
        case ENF_EV_KEY_PURGE:
            return 1;
        default:
            break;
        }
    }
    return 0;
}
