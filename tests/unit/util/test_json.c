/*
 * Unit tests for common/util/json: string escaping (RFC 8259), UTF-8
 * checking, the value and member writers. A randomised round trip (seed
 * printed; ODS_TEST_SEED replays it) decodes every written string with a
 * strict decoder written here and compares it with the input.
 */
#include "tap.h"

#include "util/buf.h"
#include "util/json.h"
#include "util/status.h"

#include <limits.h>
#include <stdint.h>
#include <time.h>

static ods_buf_t str_buf = ODS_BUF_INIT;

/* What ods_json_str writes for s (valid until the next call). */
static const char *str_of(const char *s)
{
    ods_buf_reset(&str_buf);
    if (ods_json_str(&str_buf, s) != ODS_OK)
        return "(ENOMEM)";
    return ods_buf_cstr(&str_buf);
}

static void test_escaping(void)
{
    is_str(str_of("example.com"), "\"example.com\"", "plain text is copied");
    is_str(str_of(""), "\"\"", "empty string");
    is_str(str_of(NULL), "null", "NULL is null");
    is_str(str_of("a\"b\\c"), "\"a\\\"b\\\\c\"", "quote and backslash escaped");
    is_str(str_of("/"), "\"/\"", "solidus left alone");
    is_str(str_of("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"", "short escapes");
    is_str(str_of("\x01\x1f x"), "\"\\u0001\\u001f x\"", "other controls as \\u00XX");
    is_str(str_of("\x7f"), "\"\x7f\"", "DEL needs no escape");
    is_str(str_of("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91"),
           "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91\"", "valid UTF-8 (2, 3, 4 bytes) kept");
    is_str(str_of("\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf"),
           "\"\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf\"", "U+D7FF, U+E000, U+10FFFF kept");
}

static void test_bad_utf8(void)
{
    is_str(str_of("a\x80z"), "\"a\\ufffdz\"", "stray continuation byte replaced");
    is_str(str_of("\xc0\x80"), "\"\\ufffd\\ufffd\"", "overlong NUL replaced");
    is_str(str_of("\xe0\x9f\xbf"), "\"\\ufffd\\ufffd\\ufffd\"", "overlong 3-byte form replaced");
    is_str(str_of("\xf0\x8f\xbf\xbf"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
           "overlong 4-byte form replaced");
    is_str(str_of("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"", "surrogate U+D800 replaced");
    is_str(str_of("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
           "above U+10FFFF replaced");
    is_str(str_of("\xf5\xff"), "\"\\ufffd\\ufffd\"", "bytes F5 and FF replaced");
    is_str(str_of("x\xe2\x82"), "\"x\\ufffd\\ufffd\"", "sequence cut by the end replaced");
    is_str(str_of("\xe2\x82x"), "\"\\ufffd\\ufffdx\"", "sequence cut by ASCII replaced");
    is_str(str_of("\xc3\xa9\xc3"), "\"\xc3\xa9\\ufffd\"", "valid then truncated");
}

static void test_values(void)
{
    ods_buf_t b = ODS_BUF_INIT;
    ods_buf_printf(&b, "[");
    ods_json_int(&b, 0);
    ods_json_sep(&b, 0);
    ods_json_int(&b, LLONG_MIN);
    ods_json_sep(&b, 0);
    ods_json_int(&b, LLONG_MAX);
    ods_json_sep(&b, 0);
    ods_json_bool(&b, 1);
    ods_json_sep(&b, 0);
    ods_json_bool(&b, 0);
    ods_json_sep(&b, 0);
    ods_json_bool(&b, 42);
    ods_json_sep(&b, 0);
    ods_json_null(&b);
    ods_json_sep(&b, 0);
    ods_json_time(&b, (time_t)1700000000);
    ods_json_sep(&b, 0);
    ods_json_time(&b, 0);
    ods_json_sep(&b, 0);
    ods_json_time(&b, -1);
    ods_buf_printf(&b, "]");
    is_str(ods_buf_cstr(&b),
           "[0,-9223372036854775808,9223372036854775807,true,false,true,null,1700000000,0,null]",
           "integers, booleans, null, times (negative is null)");
    ods_buf_free(&b);
}

static void test_members(void)
{
    ods_buf_t b = ODS_BUF_INIT;
    ods_buf_printf(&b, "{");
    is_int(ods_json_kv_str(&b, 1, "zone", "a\"z"), ODS_OK, "kv_str returns ODS_OK");
    ods_json_kv_str(&b, 0, "none", NULL);
    ods_json_kv_int(&b, 0, "keytag", 60509);
    ods_json_kv_bool(&b, 0, "manual", 0);
    ods_json_kv_null(&b, 0, "action");
    ods_json_kv_time(&b, 0, "next", 86400);
    ods_json_kv_time(&b, 0, "never", -5);
    ods_json_key(&b, 0, "k\ney");
    ods_buf_printf(&b, "[]}");
    is_str(ods_buf_cstr(&b),
           "{\"zone\":\"a\\\"z\",\"none\":null,\"keytag\":60509,\"manual\":false,"
           "\"action\":null,\"next\":86400,\"never\":null,\"k\\ney\":[]}",
           "members with and without a leading comma; names escaped too");
    ods_buf_free(&b);
}

/* ---- a strict decoder for the round trip ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Append code point cp (< 0x10000, not a surrogate) as UTF-8. */
static void put_cp(ods_buf_t *out, unsigned cp)
{
    if (cp < 0x80) {
        ods_buf_append_u8(out, (uint8_t)cp);
    } else if (cp < 0x800) {
        ods_buf_append_u8(out, (uint8_t)(0xC0 | cp >> 6));
        ods_buf_append_u8(out, (uint8_t)(0x80 | (cp & 0x3F)));
    } else {
        ods_buf_append_u8(out, (uint8_t)(0xE0 | cp >> 12));
        ods_buf_append_u8(out, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
        ods_buf_append_u8(out, (uint8_t)(0x80 | (cp & 0x3F)));
    }
}

/* Decode one JSON string that must fill text exactly; -1 if it is not valid JSON. */
static int decode(const unsigned char *p, size_t len, ods_buf_t *out)
{
    if (len < 2 || p[0] != '"' || p[len - 1] != '"')
        return -1;
    for (size_t i = 1; i < len - 1; i++) {
        unsigned char c = p[i];
        if (c < 0x20 || c == '"')
            return -1; /* must have been escaped */
        if (c != '\\') {
            ods_buf_append_u8(out, c);
            continue;
        }
        if (++i >= len - 1)
            return -1;
        const char *esc = strchr("\"\\/bfnrt", p[i]);
        if (esc && p[i]) {
            ods_buf_append_u8(out, (uint8_t) "\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"]);
            continue;
        }
        if (p[i] != 'u' || i + 4 >= len - 1)
            return -1;
        unsigned cp = 0;
        for (int k = 1; k <= 4; k++) {
            int h = hexval(p[i + k]);
            if (h < 0)
                return -1;
            cp = cp << 4 | (unsigned)h;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return -1; /* never written */
        put_cp(out, cp);
        i += 4;
    }
    return 0;
}

/* Is s[0..len) valid UTF-8? (A second, independent implementation.) */
static int valid_utf8(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned c = s[i], cp, n;
        if (c < 0x80) {
            i++;
            continue;
        }
        n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        if (n == 0 || c > 0xF4 || i + n > len)
            return 0;
        cp = c & (0x7F >> n);
        for (unsigned k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        unsigned min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n;
    }
    return 1;
}

static void random_text(unsigned char *s, size_t n, unsigned *seed)
{
    static const unsigned char pieces[][5] = {
        "a",       "\"",           "\\",           "\n",
        "\x01",    "\xc3\xa9",     "\xe2\x82\xac", "\xf0\x9f\x94\x91",
        "\x80",    "\xed\xa0\x80", "\xc0\xaf",     "\xff",
        "\xe2\x82"
    };
    size_t len = 0;
    while (len + 4 < n) {
        int r = rand_r(seed);
        if (r % 8 == 0)
            for (const unsigned char *pc = pieces[(r >> 4) % 13]; *pc; pc++)
                s[len++] = *pc;
        else if (r % 8 == 1)
            s[len++] = (unsigned char)(1 + (r >> 8) % 255); /* any byte but NUL */
        else
            s[len++] = (unsigned char)(1 + (r >> 8) % 127); /* ASCII but NUL */
    }
    s[len] = 0;
}

static void test_round_trip(void)
{
    const char *env = getenv("ODS_TEST_SEED");
    unsigned seed = env ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
    tap_diag("round trip seed %u (ODS_TEST_SEED=%u replays it)", seed, seed);
    int bad_json = 0, bad_utf8 = 0, changed = 0, exact = 0;
    ods_buf_t b = ODS_BUF_INIT, dec = ODS_BUF_INIT;
    for (int i = 0; i < 2000; i++) {
        unsigned char s[64];
        random_text(s, sizeof(s) - (size_t)(i % 40), &seed);
        size_t slen = strlen((const char *)s);
        ods_buf_reset(&b);
        ods_buf_reset(&dec);
        ods_json_str(&b, (const char *)s);
        if (decode(b.data, b.len, &dec) != 0) {
            bad_json++;
            continue;
        }
        if (!valid_utf8(b.data, b.len) || !valid_utf8(dec.data, dec.len))
            bad_utf8++;
        if (valid_utf8(s, slen)) {
            exact++;
            changed += dec.len != slen || memcmp(dec.data, s, slen) != 0;
        }
    }
    is_int(bad_json, 0, "every written string is one valid JSON string");
    is_int(bad_utf8, 0, "every written string, and what it decodes to, is valid UTF-8");
    ok(exact > 0, "some inputs were valid UTF-8 (%d)", exact);
    is_int(changed, 0, "valid UTF-8 input decodes back to itself");
    ods_buf_free(&b);
    ods_buf_free(&dec);
}

int main(void)
{
    test_escaping();
    test_bad_utf8();
    test_values();
    test_members();
    test_round_trip();
    ods_buf_free(&str_buf);
    return tap_done();
}
