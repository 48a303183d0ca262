#include "conf/params.h"

#include <string.h>

static const char *const serial_names[] = {
    [ODS_SERIAL_COUNTER] = "counter",
    [ODS_SERIAL_DATECOUNTER] = "datecounter",
    [ODS_SERIAL_UNIXTIME] = "unixtime",
    [ODS_SERIAL_KEEP] = "keep",
};

const char *ods_serial_name(int serial)
{
    if (serial < ODS_SERIAL_COUNTER || serial > ODS_SERIAL_KEEP)
        return "?";
    return serial_names[serial];
}

int ods_serial_parse(const char *name)
{
    for (int s = ODS_SERIAL_COUNTER; s <= ODS_SERIAL_KEEP; s++)
        if (name != NULL && strcmp(name, serial_names[s]) == 0)
            return s;
    return 0;
}
