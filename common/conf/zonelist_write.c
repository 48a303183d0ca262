/* zonelist_write.c -- write zonelist.xml atomically (see zonelist.h). */
#include "conf/xmlwrite.h"
#include "conf/zonelist.h"

#include "util/atomicfile.h"

static void write_adapter(ods_xw_t *w, const char *which, int type, const char *path)
{
    ods_xw_start(w, which, NULL, NULL);
    if (type == ODS_ADAPTER_FILE)
        ods_xw_leaf(w, "File", path);
    else
        ods_xw_leaf_attr(w, "Adapter", "type", ods_adapter_type_name(type), path);
    ods_xw_end(w, which);
}

static void write_zone(ods_xw_t *w, const ods_zonelist_entry_t *e)
{
    ods_xw_start(w, "Zone", "name", e->name);
    ods_xw_leaf(w, "Policy", e->policy);
    ods_xw_leaf(w, "SignerConfiguration", e->signconf);
    ods_xw_start(w, "Adapters", NULL, NULL);
    write_adapter(w, "Input", e->input_type, e->input);
    write_adapter(w, "Output", e->output_type, e->output);
    ods_xw_end(w, "Adapters");
    ods_xw_end(w, "Zone");
}

int ods_zonelist_write(const ods_zonelist_t *zl, const char *path, ods_err_t *err)
{
    ods_buf_t buf = ODS_BUF_INIT;
    ods_xw_t w;
    ods_xw_init(&w, &buf, 0);
    ods_xw_declaration(&w);
    ods_xw_start(&w, "ZoneList", NULL, NULL);
    for (size_t i = 0; i < zl->n_zones; i++)
        write_zone(&w, &zl->zones[i]);
    ods_xw_end(&w, "ZoneList");
    int rc = ods_xw_finish(&w);
    if (rc != ODS_OK)
        rc = ods_err_set(err, rc, "out of memory writing %s", path);
    else
        rc = ods_atomic_write(path, buf.data, buf.len, 0644, err);
    ods_buf_free(&buf);
    return rc;
}
