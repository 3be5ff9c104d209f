/*
 * propensity_model.h — the stored propensity_model type (logistic_fit's
 * result), shared by propensity_model.c (type, I/O, accessors),
 * logistic_fit.c and predict.c.
 */
#ifndef B2B_PROPENSITY_MODEL_H
#define B2B_PROPENSITY_MODEL_H

#include "b2btarget.h"
#include "logistic_core.h"
#include "model_core.h"

#define PROPENSITY_MODEL_VERSION PM_VERSION
#define MODEL_CONVERGED 0x01
#define MODEL_MAX_NAME PM_MAX_NAME

typedef struct PropensityModel
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* MODEL_CONVERGED */
	uint16		reserved;		/* 0 */
	int32		nterms;			/* intercept + features */
	int32		iterations;
	int64		rows_used;
	int64		rows_skipped;
	int64		positives;
	double		loglik;
	double		l2;
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* coef[nterms], se[nterms],
												 * then nterms NUL-terminated
												 * names */
} PropensityModel;

#define MODEL_HDR offsetof(PropensityModel, data)
#define MODEL_COEF(m) ((m)->data)
#define MODEL_SE(m) ((m)->data + (m)->nterms)
#define MODEL_NAMES(m) ((char *) ((m)->data + 2 * (m)->nterms))

/* A new stored model from checked fields, palloc'd. */
extern PropensityModel *propensity_model_build(const pm_fields *f);
/* Validate a detoasted stored model (sizes, version, every field). */
extern PropensityModel *propensity_model_validate(PropensityModel *m);
/* The term names of m, as an array of pointers into m. */
extern char **propensity_model_names(const PropensityModel *m);

#define DatumGetPropensityModel(d) \
	propensity_model_validate((PropensityModel *) PG_DETOAST_DATUM(d))
#define PG_GETARG_PROPENSITY_MODEL(n) DatumGetPropensityModel(PG_GETARG_DATUM(n))
#define PG_RETURN_PROPENSITY_MODEL(m) PG_RETURN_POINTER(m)

/* The ERROR of a fit that failed, shared by logistic_fit and logistic_train. */
extern void logistic_check_result(const char *fname, const char *verb, lr_status status,
								  const lr_result *res, char **names, int nterms,
								  int64 used, int max_iter, const char *l2_example,
								  const char *no_conv_hint);

#endif
