/*
 * propensity_model.h — the stored propensity_model type (logistic_fit's
 * result), shared by propensity_model.c (type, I/O, accessors),
 * logistic_fit.c and predict.c.
 */
#ifndef B2B_PROPENSITY_MODEL_H
#define B2B_PROPENSITY_MODEL_H

#include "b2btarget.h"
#include "model_core.h"

#define MODEL_VERSION PM_VERSION
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

#define PG_GETARG_MODEL(n) propensity_model_validate((PropensityModel *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#endif
