/*
 * role.h — the buying_role scalar in C (one byte, ordinal 1..11).
 */
#ifndef B2B_ROLE_H
#define B2B_ROLE_H

#include "b2btarget.h"

#define DatumGetBuyingRole(d)		((int) DatumGetChar(d))
#define BuyingRoleGetDatum(r)		CharGetDatum((char) (r))
#define PG_GETARG_BUYING_ROLE(n)	DatumGetBuyingRole(PG_GETARG_DATUM(n))
#define PG_RETURN_BUYING_ROLE(r)	return BuyingRoleGetDatum(r)

/* The ordinal, or an ERROR (data corrupted) outside 1..11. */
extern int	role_checked(int r);

#endif
