-- One line per object of the b2btarget extension, with everything that
-- defines it; an updated install must print exactly what a fresh one does.
WITH members AS (
	SELECT d.classid, d.objid
	FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	WHERE e.extname = 'b2btarget' AND d.deptype = 'e'
)
SELECT line FROM (
	SELECT 'function ' || p.oid::regprocedure || ' ' || pg_get_function_result(p.oid)
	       || ' vol=' || p.provolatile::text || ' par=' || p.proparallel::text || ' strict=' || p.proisstrict
	       || ' secdef=' || p.prosecdef || ' leak=' || p.proleakproof || ' kind=' || p.prokind::text
	       || ' lang=' || l.lanname || ' src=' || p.prosrc || ' cfg=' || coalesce(p.proconfig::text, '')
	       || ' comment=' || coalesce(obj_description(p.oid, 'pg_proc'), '<none>') AS line
	FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
	JOIN pg_language l ON l.oid = p.prolang
	UNION ALL
	SELECT 'aggregate ' || a.aggfnoid::regprocedure || ' sfunc=' || a.aggtransfn || ' stype=' || a.aggtranstype::regtype
	       || ' combine=' || a.aggcombinefn || ' serial=' || a.aggserialfn || ' deserial=' || a.aggdeserialfn
	       || ' final=' || a.aggfinalfn || ' finalextra=' || a.aggfinalextra || ' modify=' || a.aggfinalmodify::text
	       || ' msfunc=' || a.aggmtransfn || ' minv=' || a.aggminvtransfn || ' mstype=' || a.aggmtranstype::regtype
	       || ' init=' || coalesce(a.agginitval, '<null>') || ' minit=' || coalesce(a.aggminitval, '<null>')
	       || ' sortop=' || a.aggsortop::regoperator || ' space=' || a.aggtransspace
	FROM members m JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid
	UNION ALL
	SELECT 'type ' || t.oid::regtype || ' len=' || t.typlen || ' byval=' || t.typbyval || ' align=' || t.typalign::text
	       || ' storage=' || t.typstorage::text || ' cat=' || t.typcategory::text || ' in=' || t.typinput || ' out=' || t.typoutput
	       || ' recv=' || t.typreceive || ' send=' || t.typsend
	       || ' comment=' || coalesce(obj_description(t.oid, 'pg_type'), '<none>')
	FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
	UNION ALL
	SELECT 'operator ' || o.oid::regoperator || ' code=' || o.oprcode || ' com=' || o.oprcom::regoperator
	       || ' neg=' || o.oprnegate::regoperator || ' rest=' || o.oprrest || ' join=' || o.oprjoin
	       || ' hashes=' || o.oprcanhash || ' merges=' || o.oprcanmerge
	FROM members m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
	UNION ALL
	SELECT 'opclass ' || pg_describe_object(m.classid, m.objid, 0) || ' default=' || c.opcdefault
	       || ' members=' || (SELECT string_agg(x, ', ' ORDER BY x) FROM (
	            SELECT pg_describe_object('pg_amop'::regclass, ao.oid, 0) x FROM pg_amop ao WHERE ao.amopfamily = c.opcfamily
	            UNION ALL
	            SELECT pg_describe_object('pg_amproc'::regclass, ap.oid, 0) FROM pg_amproc ap WHERE ap.amprocfamily = c.opcfamily) s)
	FROM members m JOIN pg_opclass c ON m.classid = 'pg_opclass'::regclass AND c.oid = m.objid
	UNION ALL
	SELECT 'cast ' || pg_describe_object(m.classid, m.objid, 0) || ' context=' || c.castcontext::text
	       || ' method=' || c.castmethod::text || ' func=' || c.castfunc::regprocedure
	FROM members m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
	UNION ALL
	SELECT 'other ' || pg_describe_object(m.classid, m.objid, 0)
	FROM members m
	WHERE m.classid NOT IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass,
	                        'pg_opclass'::regclass, 'pg_cast'::regclass)
) s
ORDER BY line;
