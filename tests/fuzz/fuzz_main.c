/*
 * fuzz_main.c -- replay driver for fuzz targets, for compilers without libFuzzer.
 *
 *   fuzz_X_replay FILE|DIR...
 *
 * Runs LLVMFuzzerTestOneInput on every file (directories are read one level
 * deep), then on ODS_FUZZ_MUTATIONS (default 200) mutants of each input made
 * with a fixed, printed seed (ODS_FUZZ_SEED overrides it), so a failure can be
 * replayed. A target that finds a bug aborts (ASan/UBSan report it); the
 * driver exits non-zero when an input cannot be read or no input was given.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* One mutant of data: flip, set, insert or delete a few bytes. */
static size_t mutate(const uint8_t *data, size_t size, uint8_t *out, size_t cap)
{
    size_t len = size < cap ? size : cap;
    memcpy(out, data, len);
    int edits = 1 + (int)(rng_next() % 4);
    for (int i = 0; i < edits; i++) {
        size_t at = len ? rng_next() % len : 0;
        switch (rng_next() % 4) {
        case 0:
            if (len)
                out[at] ^= (uint8_t)(1u << (rng_next() % 8));
            break;
        case 1:
            if (len)
                out[at] = (uint8_t)rng_next();
            break;
        case 2:
            if (len < cap) {
                memmove(out + at + 1, out + at, len - at);
                out[at] = (uint8_t)rng_next();
                len++;
            }
            break;
        default:
            if (len) {
                memmove(out + at, out + at + 1, len - at - 1);
                len--;
            }
        }
    }
    return len;
}

static int run_file(const char *path, long mutations)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    uint8_t *data = malloc(1 << 20);
    size_t size = fread(data, 1, 1 << 20, f);
    fclose(f);
    uint8_t *mut = malloc((1 << 20) + 64);
    LLVMFuzzerTestOneInput(data, size);
    for (long i = 0; i < mutations; i++) {
        size_t n = mutate(data, size, mut, (1 << 20) + 64);
        LLVMFuzzerTestOneInput(mut, n);
    }
    free(mut);
    free(data);
    return 1;
}

static int run_path(const char *path, long mutations)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path, mutations);
    DIR *d = opendir(path);
    struct dirent *e;
    int count = 0;
    while (d && (e = readdir(d)) != NULL) {
        char sub[4096];
        if (e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
        int rc = run_file(sub, mutations);
        if (rc < 0) {
            closedir(d);
            return rc;
        }
        count += rc;
    }
    if (d)
        closedir(d);
    return count;
}

int main(int argc, char **argv)
{
    const char *m = getenv("ODS_FUZZ_MUTATIONS");
    const char *s = getenv("ODS_FUZZ_SEED");
    long mutations = m ? strtol(m, NULL, 10) : 200;
    rng_state = s ? strtoull(s, NULL, 0) : 0x0d5c7115eedULL;
    if (rng_state == 0)
        rng_state = 1;
    printf("fuzz replay: seed 0x%llx, %ld mutants per input\n", (unsigned long long)rng_state,
           mutations);
    int total = 0;
    for (int i = 1; i < argc; i++) {
        int rc = run_path(argv[i], mutations);
        if (rc < 0)
            return 1;
        total += rc;
    }
    printf("fuzz replay: %d inputs, no failure\n", total);
    return total > 0 ? 0 : 1;
}
