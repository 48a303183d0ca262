/* enf_fmt.c -- `key list` layouts (see enf_fmt.h). */
#include "enf_fmt.h"

#include <stdio.h>

#include "enf_json.h"
#include "util/clock.h"

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
    ods_buf_printf(out, ",\"records\":{");
    for (int r = 0; r < ENF_REC_COUNT; r++) {
        ods_buf_printf(out, "%s", r ? "," : "");
        enf_json_str(out, enf_rec_name((enf_rec_t)r));
        ods_buf_printf(out, ":{");
        enf_json_kv_str(out, 1, "state", enf_state_name(k->rec[r].state));
        enf_json_kv_time(out, 0, "last_change", k->rec[r].last_change);
        enf_json_kv_int(out, 0, "ttl", (long long)k->rec[r].ttl);
        ods_buf_printf(out, "}");
    }
    ods_buf_printf(out, "}");
}

void enf_fmt_json(ods_buf_t *out, int first, const enf_keyrow_t *row)
{
    const enf_key_t *k = row->k;
    enf_flags_t f;
    enf_key_flags(k, &f);
    const char *wait = enf_wait_text(row->wait);
    ods_buf_printf(out, "%s{", first ? "" : ",");
    enf_json_kv_str(out, 1, "zone", row->zone);
    enf_json_kv_str(out, 0, "policy", row->policy);
    enf_json_kv_str(out, 0, "role", enf_role_name(k->role));
    enf_json_kv_str(out, 0, "state", enf_kl_name(row->state));
    enf_json_kv_str(out, 0, "goal", k->introducing ? "introduce" : "retire");
    enf_json_kv_int(out, 0, "keytag", k->keytag);
    enf_json_kv_str(out, 0, "cka_id", k->locator);
    enf_json_kv_str(out, 0, "repository", k->repository);
    enf_json_kv_int(out, 0, "algorithm", k->algorithm);
    enf_json_kv_int(out, 0, "bits", k->bits);
    enf_json_kv_time(out, 0, "inception", k->inception);
    enf_json_kv_str(out, 0, "ds_at_parent", enf_dsp_name(k->ds_at_parent));
    enf_json_kv_bool(out, 0, "backup_required", k->backup_required);
    json_records(out, k);
    ods_buf_printf(out, ",\"signconf\":{");
    enf_json_kv_bool(out, 1, "publish", f.publish);
    enf_json_kv_bool(out, 0, "ksk", f.ksk);
    enf_json_kv_bool(out, 0, "zsk", f.zsk);
    ods_buf_printf(out, "}");
    enf_json_kv_str(out, 0, "waiting_for", wait[0] ? wait + sizeof("waiting for ") - 1 : NULL);
    enf_json_kv_str(out, 0, "action", wait[0] ? enf_wait_action(row->wait) : NULL);
    enf_json_kv_time(out, 0, "next_transition", row->next);
    ods_buf_printf(out, "}");
}
