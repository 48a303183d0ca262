/* enf_fmt.c -- `key list` layouts (see enf_fmt.h). */
#include "enf_fmt.h"

#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "util/json.h"

const char *enf_fmt_next(const enf_keyrow_t *row, char *buf, size_t len)
{
    const char *wait = enf_wait_text(row->wait);
    if (wait[0])
        snprintf(buf, len, "%s", wait);
    else if (row->next < 0)
        snprintf(buf, len, "-");
    else if (row->next <= row->now)
        snprintf(buf, len, "now");
    else
        ods_clock_format(row->next, buf, len);
    return buf;
}

void enf_fmt_header(ods_buf_t *out, enf_fmt_mode_t mode, int parsable)
{
    if (parsable && mode != ENF_FMT_DEFAULT)
        return;
    switch (mode) {
    case ENF_FMT_VERBOSE:
        ods_buf_printf(out, "Keys:\n%-31s %-8s %-9s %-24s %-5s %-10s %-32s %-11s %s\n",
                       "Zone:", "Keytype:", "State:", "Date of next transition:", "Size:",
                       "Algorithm:", "CKA_ID:", "Repository:", "KeyTag:");
        break;
    case ENF_FMT_DEBUG:
        ods_buf_printf(out, "Keys:\n%-31s %-13s %-12s %-12s %-12s %-12s %s\n", "Zone:", "Key role:",
                       "DS:", "DNSKEY:", "RRSIGDNSKEY:", "RRSIG:", "Pub: Act: Id:");
        break;
    case ENF_FMT_FULL:
        break;
    default:
        ods_buf_printf(out, "Keys:\n%-31s %-8s %-9s %s\n",
                       "Zone:", "Keytype:", "State:", "Date of next transition:");
    }
}

static const char *rec(const enf_key_t *k, enf_rec_t r)
{
    return enf_state_name(k->rec[r].state);
}

static void row_debug(ods_buf_t *out, int parsable, const enf_keyrow_t *row)
{
    const enf_key_t *k = row->k;
    enf_flags_t f;
    enf_key_flags(k, &f);
    if (parsable)
        ods_buf_printf(out, "%s;%s;%s;%s;%s;%s;%d;%d;%s\n", row->zone, enf_role_name(k->role),
                       rec(k, ENF_REC_DS), rec(k, ENF_REC_DNSKEY), rec(k, ENF_REC_KRRSIG),
                       rec(k, ENF_REC_RRSIG), f.publish, f.ksk | f.zsk, k->locator);
    else
        ods_buf_printf(out, "%-31s %-13s %-12s %-12s %-12s %-12s %d %4d    %s\n", row->zone,
                       enf_role_name(k->role), rec(k, ENF_REC_DS), rec(k, ENF_REC_DNSKEY),
                       rec(k, ENF_REC_KRRSIG), rec(k, ENF_REC_RRSIG), f.publish, f.ksk | f.zsk,
                       k->locator);
}

static void row_full(ods_buf_t *out, const enf_keyrow_t *row, const char *next)
{
    const enf_key_t *k = row->k;
    enf_flags_t f;
    enf_key_flags(k, &f);
    ods_buf_printf(out, "%-31s %-8s %-9s %u %s %-12s %-12s %-12s %-12s %d %4d    %s\n", row->zone,
                   enf_role_name(k->role), enf_kl_name(row->state), k->keytag, k->locator,
                   rec(k, ENF_REC_DS), rec(k, ENF_REC_DNSKEY), rec(k, ENF_REC_KRRSIG),
                   rec(k, ENF_REC_RRSIG), f.publish, f.ksk | f.zsk, next);
}

void enf_fmt_row(ods_buf_t *out, enf_fmt_mode_t mode, int parsable, const enf_keyrow_t *row)
{
    const enf_key_t *k = row->k;
    char next[32];
    enf_fmt_next(row, next, sizeof(next));
    switch (mode) {
    case ENF_FMT_VERBOSE:
        if (parsable)
            ods_buf_printf(out, "%s;%s;%s;%s;%d;%d;%s;%s;%u\n", row->zone, enf_role_name(k->role),
                           enf_kl_name(row->state), next, k->bits, k->algorithm, k->locator,
                           k->repository, k->keytag);
        else
            ods_buf_printf(out, "%-31s %-8s %-9s %-24s %-5d %-10d %-32s %-11s %u\n", row->zone,
                           enf_role_name(k->role), enf_kl_name(row->state), next, k->bits,
                           k->algorithm, k->locator, k->repository, k->keytag);
        break;
    case ENF_FMT_DEBUG:
        row_debug(out, parsable, row);
        break;
    case ENF_FMT_FULL:
        row_full(out, row, next);
        break;
    default:
        ods_buf_printf(out, "%-31s %-8s %-9s %s\n", row->zone, enf_role_name(k->role),
                       enf_kl_name(row->state), next);
    }
}

static void json_records(ods_buf_t *out, const enf_key_t *k)
{
    ods_json_key(out, 0, "records");
    ods_buf_append_u8(out, '{');
    for (int r = 0; r < ENF_REC_COUNT; r++) {
        ods_json_key(out, r == 0, enf_rec_name((enf_rec_t)r));
        ods_buf_append_u8(out, '{');
        ods_json_kv_str(out, 1, "state", enf_state_name(k->rec[r].state));
        ods_json_kv_time(out, 0, "last_change", k->rec[r].last_change);
        ods_json_kv_int(out, 0, "ttl", (long long)k->rec[r].ttl);
        ods_buf_append_u8(out, '}');
    }
    ods_buf_append_u8(out, '}');
}

static void json_signconf(ods_buf_t *out, const enf_key_t *k)
{
    enf_flags_t f;
    enf_key_flags(k, &f);
    ods_json_key(out, 0, "signconf");
    ods_buf_append_u8(out, '{');
    ods_json_kv_bool(out, 1, "publish", f.publish);
    ods_json_kv_bool(out, 0, "ksk", f.ksk);
    ods_json_kv_bool(out, 0, "zsk", f.zsk);
    ods_buf_append_u8(out, '}');
}

void enf_fmt_json(ods_buf_t *out, int first, const enf_keyrow_t *row)
{
    static const char prefix[] = "waiting for ";
    const enf_key_t *k = row->k;
    const char *wait = enf_wait_text(row->wait);
    ods_json_sep(out, first);
    ods_buf_append_u8(out, '{');
    ods_json_kv_str(out, 1, "zone", row->zone);
    ods_json_kv_str(out, 0, "policy", row->policy);
    ods_json_kv_str(out, 0, "role", enf_role_name(k->role));
    ods_json_kv_str(out, 0, "state", enf_kl_name(row->state));
    ods_json_kv_str(out, 0, "goal", k->introducing ? "introduce" : "retire");
    ods_json_kv_int(out, 0, "keytag", k->keytag);
    ods_json_kv_str(out, 0, "cka_id", k->locator);
    ods_json_kv_str(out, 0, "repository", k->repository);
    ods_json_kv_int(out, 0, "algorithm", k->algorithm);
    ods_json_kv_int(out, 0, "bits", k->bits);
    ods_json_kv_time(out, 0, "inception", k->inception);
    ods_json_kv_str(out, 0, "ds_at_parent", enf_dsp_name(k->ds_at_parent));
    ods_json_kv_bool(out, 0, "backup_required", k->backup_required);
    json_records(out, k);
    json_signconf(out, k);
    ods_json_kv_str(out, 0, "waiting_for",
                    strncmp(wait, prefix, sizeof(prefix) - 1) == 0 ? wait + sizeof(prefix) - 1
                                                                   : NULL);
    ods_json_kv_str(out, 0, "action", wait[0] ? enf_wait_action(row->wait) : NULL);
    ods_json_kv_time(out, 0, "next_transition", row->next);
    ods_buf_append_u8(out, '}');
}
