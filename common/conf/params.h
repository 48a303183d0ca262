/*
 * params.h -- values shared by kasp.xml and the signer configuration: SOA
 * serial types and denial types, with their names in the XML files.
 * Pure functions on constant data; thread-safe.
 */
#ifndef ODS_CONF_PARAMS_H
#define ODS_CONF_PARAMS_H

/* Zone/SOA/Serial: how the signer makes the SOA serial of a new version. */
enum ods_serial {
    ODS_SERIAL_COUNTER = 1,     /* "counter": +1 (at least the input serial) */
    ODS_SERIAL_DATECOUNTER = 2, /* "datecounter": YYYYMMDDnn */
    ODS_SERIAL_UNIXTIME = 3,    /* "unixtime": seconds since the epoch */
    ODS_SERIAL_KEEP = 4,        /* "keep": the input serial, unchanged */
};

/* Denial of existence. */
enum ods_denial {
    ODS_DENIAL_NSEC = 1,
    ODS_DENIAL_NSEC3 = 2,
};

/* "counter", ... for ODS_SERIAL_*; "?" for other values. */
const char *ods_serial_name(int serial);

/* ODS_SERIAL_* for a name (exact, as the schemas spell it); 0 if unknown. */
int ods_serial_parse(const char *name);

#endif
