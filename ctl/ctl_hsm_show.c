/*
 * ctl_hsm_show.c -- `odsctl hsm list`, `hsm info` and `hsm dnskey`.
 */
#include "ctl_args.h"
#include "ctl_hsm_int.h"
#include "hsm/alg.h"
#include "hsm/info.h"
#include "hsm/key.h"
#include "hsm/pubkey.h"
#include "util/json.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PKCS11_CKF_SIGN 0x800UL /* CKF_SIGN of PKCS#11 (mechanism flags) */

/* A JSON string (the escaping of util/json) straight to stdout. */
static void json_string(const char *s)
{
    ods_buf_t b = ODS_BUF_INIT;
    if (ods_json_str(&b, s ? s : "") == ODS_OK)
        fwrite(b.data, 1, b.len, stdout);
    else
        fputs("\"\"", stdout);
    ods_buf_free(&b);
}

static void list_json(const ods_hsm_keyinfo_t *keys, size_t n)
{
    printf("{\"keys\":[");
    for (size_t i = 0; i < n; i++) {
        const ods_hsm_keyinfo_t *k = &keys[i];
        printf("%s{\"repository\":", i ? "," : "");
        json_string(k->repository);
        printf(",\"cka_id\":\"%s\",\"type\":", k->locator);
        json_string(ods_hsm_family_name(k->family));
        printf(",\"bits\":%u,\"algorithm\":", k->bits);
        if (k->algorithm)
            printf("%d", k->algorithm);
        else
            printf("null");
        printf(",\"curve\":");
        if (k->curve)
            json_string(k->curve);
        else
            printf("null");
        printf(",\"public_key\":%s}", k->has_public ? "true" : "false");
    }
    printf("]}\n");
}

static void list_text(const char *repo, const ods_hsm_keyinfo_t *keys, size_t n)
{
    if (repo)
        printf("Listing keys in repository: %s\n", repo);
    else
        printf("Listing keys in all repositories.\n");
    printf("%zu %s found.\n\n", n, n == 1 ? "key" : "keys");
    if (n == 0)
        return;
    printf("%-20s  %-32s  %s\n", "Repository", "ID", "Type");
    printf("%-20s  %-32s  %s\n", "----------", "--", "----");
    for (size_t i = 0; i < n; i++) {
        const ods_hsm_keyinfo_t *k = &keys[i];
        printf("%-20s  %-32s  %s/%u%s%s\n", k->repository, k->locator,
               ods_hsm_family_name(k->family), k->bits, k->curve ? " " : "",
               k->curve ? k->curve : "");
    }
}

int ctl_hsm_list(ctl_hsm_t *h, const ods_cmd_args_t *a)
{
    const char *repo = ods_cmd_pos(a, 0);
    ods_hsm_keyinfo_t *keys = NULL;
    size_t n = 0;
    ods_err_t err;
    if (ods_hsm_list(h->ctx, repo, &keys, &n, &err) != ODS_OK) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        return CTL_EXIT_FAIL;
    }
    if (ods_cmd_has(a, "json"))
        list_json(keys, n);
    else
        list_text(repo, keys, n);
    free(keys);
    return CTL_EXIT_OK;
}

static void print_memory(const char *what, unsigned long free_b, unsigned long total)
{
    if (free_b == ODS_HSM_INFO_UNAVAILABLE || total == ODS_HSM_INFO_UNAVAILABLE)
        printf("  %-15s not reported\n", what);
    else
        printf("  %-15s %lu of %lu bytes free\n", what, free_b, total);
}

static void print_info(const ods_hsm_token_info_t *t)
{
    size_t nsign = 0;
    for (size_t i = 0; i < t->nmechanisms; i++)
        nsign += (t->mechanisms[i].flags & PKCS11_CKF_SIGN) != 0;
    printf("Repository: %s\n", t->repository);
    printf("  %-15s %s\n", "Module:", t->module);
    printf("  %-15s %s (%s)\n", "Library:", t->library, t->library_manufacturer);
    printf("  %-15s %lu (%s)\n", "Slot:", t->slot, t->slot_description);
    printf("  %-15s %s\n", "Token label:", t->label);
    printf("  %-15s %s\n", "Manufacturer:", t->manufacturer);
    printf("  %-15s %s\n", "Model:", t->model);
    printf("  %-15s %s\n", "Serial:", t->serial);
    print_memory("Public memory:", t->free_public_memory, t->total_public_memory);
    print_memory("Private memory:", t->free_private_memory, t->total_private_memory);
    if (t->max_session_count == 0)
        printf("  %-15s %lu open, no limit\n", "Sessions:", t->session_count);
    else
        printf("  %-15s %lu open of %lu\n", "Sessions:", t->session_count, t->max_session_count);
    printf("  %-15s %zu (%zu can sign)\n", "Mechanisms:", t->nmechanisms, nsign);
}

int ctl_hsm_info(ctl_hsm_t *h, const ods_cmd_args_t *a)
{
    size_t n = ods_hsm_repo_count(h->hsm);
    int status = CTL_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        ods_hsm_token_info_t *t = NULL;
        ods_err_t err;
        if (ods_hsm_token_info(h->hsm, ods_hsm_repo_name(h->hsm, i), &t, &err) != ODS_OK) {
            fprintf(stderr, "odsctl: %s\n", err.msg);
            status = CTL_EXIT_FAIL;
            continue;
        }
        printf("%s", i ? "\n" : "");
        print_info(t);
        ods_hsm_token_info_free(t);
    }
    return status;
}

/* ALGORITHM of hsm dnskey: a number or a mnemonic (ECDSAP256SHA256). */
static int dnskey_algorithm(const char *s)
{
    long v;
    if (ctl_hsm_number(s, 1, 255, &v) == 0)
        return ods_hsm_alg_known((int)v) ? (int)v : -1;
    for (int a = 1; a < 256; a++)
        if (ods_hsm_alg_name(a) && strcasecmp(ods_hsm_alg_name(a), s) == 0)
            return a;
    return -1;
}

static void print_dnskey(const char *name, const uint8_t *rd, size_t len, uint16_t tag,
                         unsigned bits)
{
    unsigned flags = (unsigned)rd[0] << 8 | rd[1];
    size_t klen = len - 4;
    unsigned char *b64 = malloc(4 * ((klen + 2) / 3) + 1);
    if (!b64) {
        fprintf(stderr, "odsctl: out of memory\n");
        return;
    }
    EVP_EncodeBlock(b64, rd + 4, (int)klen);
    printf("%s%s\t3600\tIN\tDNSKEY\t%u %u %u %s ;{id = %u (%s), size = %ub}\n", name,
           name[strlen(name) - 1] == '.' ? "" : ".", flags, rd[2], rd[3], (char *)b64, tag,
           flags & 1 ? "ksk" : "zsk", bits);
    free(b64);
}

int ctl_hsm_dnskey(ctl_hsm_t *h, const ods_cmd_args_t *a)
{
    const char *locator = ods_cmd_pos(a, 0), *name = ods_cmd_pos(a, 1);
    int alg = dnskey_algorithm(ods_cmd_pos(a, 3));
    long flags;
    ods_hsm_key_t *key = NULL;
    uint8_t rd[ODS_HSM_DNSKEY_MAX];
    size_t len = sizeof(rd);
    uint16_t tag = 0;
    ods_err_t err;
    if (ctl_hsm_number(ods_cmd_pos(a, 2), 0, 65535, &flags) != 0 || alg < 0 || !*name) {
        fprintf(stderr,
                "odsctl: hsm dnskey needs FLAGS 0..65535 (256 ZSK, 257 KSK) and a "
                "DNSSEC algorithm (8, 13, ... or its name), got '%s' and '%s'\n",
                ods_cmd_pos(a, 2), ods_cmd_pos(a, 3));
        return CTL_EXIT_USAGE;
    }
    if (ods_hsm_key_find(h->ctx, locator, &key, &err) != ODS_OK) {
        fprintf(stderr, "Key not found: %s\n", locator);
        return CTL_EXIT_FAIL;
    }
    if (ods_hsm_dnskey_rdata(h->ctx, key, alg, (uint16_t)flags, rd, &len, &err) != ODS_OK ||
        ods_hsm_keytag(h->ctx, key, alg, (uint16_t)flags, &tag, &err) != ODS_OK) {
        fprintf(stderr, "odsctl: %s\n", err.msg);
        ods_hsm_key_free(key);
        return CTL_EXIT_FAIL;
    }
    print_dnskey(name, rd, len, tag, ods_hsm_key_bits(key));
    ods_hsm_key_free(key);
    return CTL_EXIT_OK;
}
