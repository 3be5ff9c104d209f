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

/*
 * Shared by the fits over rows (bgnbd.c) and over repeat_histories
 * (histories.c), so both validate, skip and fit alike: the ERROR for an
 * invalid history or l2 (fname names the caller), and the fit over distinct
 * histories (NULL when there is nothing to fit, as the aggregates give).
 */
extern double repeat_check_l2(FunctionCallInfo fcinfo, int argno, const char *fname);
extern void repeat_check_bg_history(double x, double tx, double T, const char *fname);
extern void repeat_check_gg_history(double x, double m, const char *fname);
extern RepeatModel *repeat_fit_bgnbd(const bgnbd_obs *obs, size_t n, double l2,
									 int64 customers, int64 skipped);
extern RepeatModel *repeat_fit_gg(const gg_obs *obs, size_t n, double l2,
								  int64 customers, int64 skipped);

#define DatumGetRepeatModel(d, kind) \
	repeat_model_validate((RepeatModel *) PG_DETOAST_DATUM(d), kind)
#define PG_GETARG_REPEAT_MODEL(n, kind) DatumGetRepeatModel(PG_GETARG_DATUM(n), kind)
#define PG_RETURN_REPEAT_MODEL(m) PG_RETURN_POINTER(m)

#endif
