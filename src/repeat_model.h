/*
 * repeat_model.h — the stored bgnbd_model and gamma_gamma_model types (one
 * 80-byte layout, repeat_model of bgnbd_core.h, told apart by its kind
 * byte).  Glue in bgnbd.c; see doc/design.md, "Repeat purchase".
 */
#ifndef B2B_REPEAT_MODEL_H
#define B2B_REPEAT_MODEL_H

#include "b2btarget.h"
#include "bgnbd_core.h"

/* The stored value: the struct of bgnbd_core.h, varlena header first. */
typedef repeat_model RepeatModel;

#define REPEAT_MODEL_SIZE sizeof(RepeatModel)
StaticAssertDecl(REPEAT_MODEL_SIZE == 80, "the stored bgnbd_model has 80 bytes");

/* "bgnbd_model" or "gamma_gamma_model" */
extern const char *repeat_model_typname(int kind);
/* Check a detoasted model of the given kind (size, version, every field). */
extern RepeatModel *repeat_model_validate(RepeatModel *m, int kind);

#define DatumGetRepeatModel(d, kind) \
	repeat_model_validate((RepeatModel *) PG_DETOAST_DATUM(d), kind)
#define PG_GETARG_REPEAT_MODEL(n, kind) DatumGetRepeatModel(PG_GETARG_DATUM(n), kind)
#define PG_RETURN_REPEAT_MODEL(m) PG_RETURN_POINTER(m)

#endif
