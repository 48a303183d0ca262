#include "sgn_state.h"
#include "dnssec/name.h"
#include "util/atomicfile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define STATE_MAGIC "odsng-signer-state 1"

int sgn_state_save(const char *path, const char *zone, const sgn_state_t *st, ods_err_t *err)
{
    char text[ODS_NAME_TEXT_MAX + 256]; /* any zone name in presentation form fits */
    int n = snprintf(text, sizeof(text),
                     "%s\nzone %s\ninbound %" PRIu32 "\noutbound %" PRIu32 "\nhave-outbound %d\n"
                     "published %lld\n",
                     STATE_MAGIC, zone, st->inbound, st->outbound, st->have_outbound ? 1 : 0,
                     (long long)st->published);
    if (n < 0 || (size_t)n >= sizeof(text))
        return ods_err_set(err, ODS_EINVAL, "%s: the zone name is too long", path);
    return ods_atomic_write(path, text, (size_t)n, 0640, err);
}

int sgn_state_load(const char *path, sgn_state_t *st, ods_err_t *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return errno == ENOENT
                   ? ODS_ENOTFOUND
                   : ods_err_set(err, ODS_EIO, "cannot read %s: %s", path, strerror(errno));
    char line[ODS_NAME_TEXT_MAX + 64]; /* the zone line in one piece */
    int ok = fgets(line, sizeof(line), f) && strncmp(line, STATE_MAGIC, strlen(STATE_MAGIC)) == 0;
    sgn_state_t s = { 0 };
    int have = 0;
    long long pub;
    unsigned long v;
    while (ok && fgets(line, sizeof(line), f)) {
        if (sscanf(line, "inbound %lu", &v) == 1 && v <= UINT32_MAX)
            s.inbound = (uint32_t)v, have |= 1;
        else if (sscanf(line, "outbound %lu", &v) == 1 && v <= UINT32_MAX)
            s.outbound = (uint32_t)v, have |= 2;
        else if (sscanf(line, "have-outbound %lu", &v) == 1)
            s.have_outbound = v != 0, have |= 4;
        else if (sscanf(line, "published %lld", &pub) == 1)
            s.published = (time_t)pub, have |= 8;
    }
    fclose(f);
    if (!ok || have != 15)
        return ods_err_set(err, ODS_EPARSE,
                           "%s is not a signer state file (delete it to start "
                           "over)",
                           path);
    *st = s;
    return ODS_OK;
}
