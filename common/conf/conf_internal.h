/*
 * conf_internal.h -- shared by the files that implement conf.h (conf.c,
 * conf_repo.c). Not for use outside common/conf.
 */
#ifndef ODS_CONF_CONF_INTERNAL_H
#define ODS_CONF_CONF_INTERNAL_H

#include "conf/conf.h"
#include "conf/xml.h"

/*
 * Like ods_conf_load, but when the file could be parsed *out is set even if
 * there are errors (the return value still says so), so that a full check
 * can go on to the files conf.xml names.
 */
int ods_conf_load_any(const char *path, ods_conf_t **out, ods_diag_t *diag);

/* Read RepositoryList into conf->repositories and check it (see conf.h). */
int ods_conf_read_repositories(ods_xml_rd_t *rd, xmlNodePtr root, ods_conf_t *conf);

/* Register the text of every PIN element of doc as a secret of diag. */
void ods_conf_register_pins(xmlDocPtr doc, ods_diag_t *diag);

/* Free the strings of one repository, wiping its PIN first. */
void ods_conf_repository_clear(ods_conf_repository_t *repo);

/* Wipe and free a secret string. NULL is a no-op. */
void ods_conf_free_secret(char *secret);

#endif
