/* softhsm.c -- private SoftHSMv2 tokens for the HSM tests. */
#include "softhsm.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * SoftHSMv2 keeps some OpenSSL allocations until exit; tests/lsan.supp suppresses
 * them by the libsofthsm2.so frame. SoftHSM and libcrypto are built without frame
 * pointers, so LeakSanitizer only sees that frame with full unwinding. (Read by
 * the sanitizer runtime at start-up; ASAN_OPTIONS in the environment overrides it.)
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

int fx_init(fx_t *fx, const char *tag, const char *extra_conf)
{
    const char *tmp = getenv("TMPDIR");
    const char *mod = getenv("ODS_SOFTHSM_MODULE");
    snprintf(fx->module, sizeof(fx->module), "%s",
             mod && *mod ? mod : "/usr/lib/softhsm/libsofthsm2.so");
    snprintf(fx->dir, sizeof(fx->dir), "%s/ods-hsm-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    char path[600];
    snprintf(path, sizeof(path), "%s/tokens", fx->dir);
    if (mkdir(path, 0700) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/softhsm2.conf", fx->dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f,
            "directories.tokendir = %s/tokens\nobjectstore.backend = file\n"
            "log.level = ERROR\nslots.removable = false\n%s\n",
            fx->dir, extra_conf ? extra_conf : "");
    fclose(f);
    return setenv("SOFTHSM2_CONF", path, 1);
}

int fx_token(fx_t *fx, const char *label, const char *pin)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 1);
        execlp("softhsm2-util", "softhsm2-util", "--init-token", "--free", "--label", label,
               "--so-pin", "1234", "--pin", pin, (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void fx_cleanup(fx_t *fx)
{
    if (fx->dir[0])
        nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

CK_FUNCTION_LIST_PTR fx_p11(const fx_t *fx)
{
    void *dl = dlopen(fx->module, RTLD_NOW | RTLD_LOCAL);
    CK_C_GetFunctionList get;
    CK_FUNCTION_LIST_PTR f = NULL;
    if (dl == NULL)
        return NULL;
    *(void **)&get = dlsym(dl, "C_GetFunctionList");
    if (get == NULL || get(&f) != CKR_OK)
        return NULL;
    return f; /* the module stays loaded (the layer loads it with RTLD_NODELETE) */
}

CK_SLOT_ID fx_slot(const fx_t *fx, const char *label)
{
    CK_FUNCTION_LIST_PTR f = fx_p11(fx);
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    if (f == NULL || f->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK)
        return (CK_SLOT_ID)-1;
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO ti;
        char padded[32];
        memset(padded, ' ', sizeof(padded));
        memcpy(padded, label, strlen(label));
        if (f->C_GetTokenInfo(slots[i], &ti) == CKR_OK && memcmp(ti.label, padded, 32) == 0)
            return slots[i];
    }
    return (CK_SLOT_ID)-1;
}

CK_SESSION_HANDLE fx_session(const fx_t *fx, const char *label)
{
    CK_FUNCTION_LIST_PTR f = fx_p11(fx);
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    CK_SLOT_ID slot = fx_slot(fx, label);
    if (f && slot != (CK_SLOT_ID)-1)
        f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
    return s;
}

static size_t hex2bin(const char *hex, CK_BYTE *out)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (CK_BYTE)v;
    }
    return n;
}

static int find_objects(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, const char *locator,
                        CK_OBJECT_CLASS cls, CK_OBJECT_HANDLE *h, CK_ULONG max)
{
    CK_BYTE id[64];
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_ID, id, hex2bin(locator, id) } };
    CK_ULONG n = 0;
    if (f->C_FindObjectsInit(s, t, 2) != CKR_OK)
        return -1;
    CK_RV rv = f->C_FindObjects(s, h, max, &n);
    f->C_FindObjectsFinal(s);
    return rv == CKR_OK ? (int)n : -1;
}

int fx_count_objects(const fx_t *fx, CK_SESSION_HANDLE s, const char *locator, CK_OBJECT_CLASS cls)
{
    CK_OBJECT_HANDLE h[8];
    CK_FUNCTION_LIST_PTR f = fx_p11(fx);
    return f ? find_objects(f, s, locator, cls, h, 8) : -1;
}

int fx_bool_attr(const fx_t *fx, CK_SESSION_HANDLE s, const char *locator, CK_OBJECT_CLASS cls,
                 CK_ATTRIBUTE_TYPE type)
{
    CK_FUNCTION_LIST_PTR f = fx_p11(fx);
    CK_OBJECT_HANDLE h;
    CK_BBOOL v = 0;
    CK_ATTRIBUTE a = { type, &v, sizeof(v) };
    if (f == NULL || find_objects(f, s, locator, cls, &h, 1) != 1 ||
        f->C_GetAttributeValue(s, h, &a, 1) != CKR_OK)
        return -1;
    return v ? 1 : 0;
}

int fx_label(const fx_t *fx, CK_SESSION_HANDLE s, const char *locator, CK_OBJECT_CLASS cls,
             char *buf, size_t size)
{
    CK_FUNCTION_LIST_PTR f = fx_p11(fx);
    CK_OBJECT_HANDLE h;
    CK_ATTRIBUTE a = { CKA_LABEL, buf, size - 1 };
    if (f == NULL || find_objects(f, s, locator, cls, &h, 1) != 1 ||
        f->C_GetAttributeValue(s, h, &a, 1) != CKR_OK)
        return -1;
    buf[a.ulValueLen] = '\0';
    return 0;
}
