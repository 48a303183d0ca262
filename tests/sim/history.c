/* history.c -- versions of published RRsets (see history.h). */
#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim_set_clear(sim_set_t *s)
{
    s->n = 0;
}

int sim_set_has(const sim_set_t *s, int64_t id)
{
    for (int i = 0; i < s->n; i++)
        if (s->id[i] == id)
            return 1;
    return 0;
}

int sim_set_add(sim_set_t *s, int64_t id)
{
    if (sim_set_has(s, id))
        return 0;
    if (s->n == SIM_SET_MAX)
        return -1;
    int i = s->n++;
    while (i > 0 && s->id[i - 1] > id) { /* keep sorted, so equal sets compare equal */
        s->id[i] = s->id[i - 1];
        i--;
    }
    s->id[i] = id;
    return 0;
}

int sim_set_equal(const sim_set_t *a, const sim_set_t *b)
{
    return a->n == b->n && memcmp(a->id, b->id, (size_t)a->n * sizeof(a->id[0])) == 0;
}

const char *sim_set_str(const sim_set_t *s, char *buf, size_t len)
{
    size_t off = 0;
    off += (size_t)snprintf(buf + off, len - off, "{");
    for (int i = 0; i < s->n && off < len; i++)
        off += (size_t)snprintf(buf + off, len - off, "%s%lld", i ? "," : "", (long long)s->id[i]);
    if (off < len)
        snprintf(buf + off, len - off, "}");
    return buf;
}

void sim_history_free(sim_history_t *h)
{
    free(h->v);
    memset(h, 0, sizeof(*h));
}

const sim_version_t *sim_history_current(const sim_history_t *h)
{
    return h->n ? &h->v[h->n - 1] : NULL;
}

int sim_history_publish(sim_history_t *h, time_t now, time_t ttl, time_t prop,
                        const sim_set_t *keys, const sim_set_t *signers)
{
    static const sim_set_t none = { 0, { 0 } };
    const sim_set_t *sg = signers ? signers : &none;
    const sim_version_t *cur = sim_history_current(h);
    if (cur && cur->ttl == ttl && cur->prop == prop && sim_set_equal(&cur->keys, keys) &&
        sim_set_equal(&cur->signers, sg))
        return 0;
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        sim_version_t *v = realloc(h->v, cap * sizeof(*v));
        if (!v)
            return -1;
        h->v = v;
        h->cap = cap;
    }
    if (h->n)
        h->v[h->n - 1].end = now;
    sim_version_t *v = &h->v[h->n++];
    v->start = now;
    v->end = SIM_NEVER;
    v->ttl = ttl;
    v->prop = prop;
    v->keys = *keys;
    v->signers = *sg;
    return 1;
}

int sim_version_cached(const sim_version_t *v, time_t t)
{
    if (t < v->start)
        return 0;
    /* served until end + prop, then valid for ttl seconds: [f, f + ttl) */
    return v->end == SIM_NEVER || t < v->end + v->prop + v->ttl;
}

void sim_history_prune(sim_history_t *h, time_t t)
{
    size_t keep = 0;
    for (size_t i = 0; i < h->n; i++) {
        const sim_version_t *v = &h->v[i];
        if (v->end != SIM_NEVER && v->end + v->prop + v->ttl <= t)
            continue;
        h->v[keep++] = *v;
    }
    h->n = keep;
}
