/*
 * engine.h -- the enforcer's pure key-lifecycle rule engine, all of it.
 *
 *   model.h      zones, keys, records, policies (plain data) and their ownership
 *   update.h     enf_update(): the engine; enf_rollover(); the key source
 *   events.h     what a run did and what it asks the caller to do
 *   ds.h         the DS handshake and the ds-submit/-seen/-retract/-gone commands
 *   rules.h      the three validity rules, for tests and previews
 *   approval.h   goal, RollType order and validity of one move
 *   timing.h     TTL tracking and transition times
 *   view.h       key list states, waiting states, signconf flags
 *   lookahead.h  the engine run forward on a copy
 *
 * No I/O, no clock, no database, no HSM: every function is a function of its
 * arguments. Library code: never logs, never exits.
 */
#ifndef ODS_ENF_ENGINE_H
#define ODS_ENF_ENGINE_H

#include "engine/approval.h"
#include "engine/ds.h"
#include "engine/events.h"
#include "engine/lookahead.h"
#include "engine/model.h"
#include "engine/rules.h"
#include "engine/timing.h"
#include "engine/update.h"
#include "engine/view.h"

#endif
