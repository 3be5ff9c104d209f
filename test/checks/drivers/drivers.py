"""psycopg 3 (text and binary) and psycopg2 against b2btarget: read and
write a column of every type, every report function, propensity as float8
in the result metadata and on the wire, jsonb casts.  Usage:
drivers.py psycopg|psycopg2 DSN REPORTS_SQL.  Prints one line per check;
exits 1 on the first failure."""
import json
import sys

SUMMARY = ["f", "j", "c", "m", "l", "rt", "vt", "bg", "gg", "ls", "sh", "qs", "rh", "tp", "att", "cal", "up", "tpl", "km", "sv", "ci", "st"]
SCALAR = ["stage", "role", "seg", "cell"]
FLOAT8_OID, INT2_OID, INT4_OID = 701, 21, 23


def check(cond, what):
    if not cond:
        print("not ok -", what)
        sys.exit(1)
    print("ok -", what)


def reports(cur, path):
    n = 0
    for q in open(path):
        if q.startswith("--") or not q.strip():
            continue
        cur.execute(q)
        rows = cur.fetchall()
        check(len(rows) > 0, "report: " + q.strip()[:60])
        n += 1
    return n


def equal_rows_sql(table):
    on = " AND ".join("a.%s = b.%s" % (c, c) for c in SCALAR + ["p", "stages"] + SUMMARY)
    return "SELECT count(*) FROM drv_all a JOIN %s b ON %s" % (table, on)


def run_psycopg(dsn, reports_sql):
    import psycopg
    from psycopg.types import TypeInfo
    from psycopg.types.composite import CompositeInfo, register_composite
    from psycopg.types.numeric import Int2BinaryLoader

    conn = psycopg.connect(dsn, autocommit=True)
    cur = conn.cursor()
    # text
    cur.execute("SELECT * FROM drv_all")
    row = cur.fetchone()
    cols = {d.name: (i, d.type_code) for i, d in enumerate(cur.description)}
    check(cols["p"][1] == FLOAT8_OID, "psycopg text: propensity column has type OID 701 (float8)")
    p = row[cols["p"][0]]
    check(isinstance(p, float) and p == 0.73, "psycopg text: propensity reads as float 0.73")
    for c in SCALAR + SUMMARY:
        v = row[cols[c][0]]
        check(isinstance(v, str) and v, "psycopg text: %s reads as text" % c)
    # JSON casts
    cur.execute("SELECT " + ", ".join("%s::jsonb, %s::json" % (c, c) for c in SUMMARY) + " FROM drv_all")
    check(all(isinstance(v, dict) for v in cur.fetchone()), "psycopg: every summary ::jsonb / ::json reads as dict")
    # arrays of our types: register the type (TypeInfo) and arrays read as lists
    cur.execute("SELECT stages FROM drv_all")
    check(cur.fetchone()[0] == "{awareness,decision}", "psycopg: journey_stage[] unregistered reads as text")
    TypeInfo.fetch(conn, "journey_stage").register(conn)
    cur = conn.cursor()  # a cursor takes the connection's adapters when made
    cur.execute("SELECT stages FROM drv_all")
    check(cur.fetchone()[0] == ["awareness", "decision"], "psycopg: journey_stage[] registered reads as list")
    # composites
    info = CompositeInfo.fetch(conn, "customer_summary")
    register_composite(info, conn)
    cur = conn.cursor()
    cur.execute("SELECT customer_summary_agg(ts, 10, timestamptz '2025-03-01 00:00:00+00') FROM "
                "generate_series(timestamptz '2025-01-01 00:00:00+00', timestamptz '2025-02-01 00:00:00+00', interval '5 days') ts")
    cs = cur.fetchone()[0]
    check(cs.frequency == 6 and cs.recency == 30 and cs.monetary_value == 10.0, "psycopg: customer_summary registered reads as an object (frequency 6, recency 30)")
    # write every column back with parameters (str for our types, float for p)
    conn.execute("TRUNCATE drv_write")
    names = list(cols)
    vals = list(row)
    stages_i = cols["stages"][0]
    vals[stages_i] = "{awareness,decision}"
    cur.execute("INSERT INTO drv_write (%s) VALUES (%s)" % (", ".join(names), ", ".join(["%s"] * len(names))), vals)
    cur.execute(equal_rows_sql("drv_write"))
    check(cur.fetchone()[0] == 1, "psycopg text: every column written back with parameters is = to the original")
    # binary
    bcur = conn.cursor(binary=True)
    bcur.execute("SELECT p, stage, role, seg, cell, f, f::jsonb FROM drv_all")
    b = bcur.fetchone()
    check(bcur.description[0].type_code == FLOAT8_OID and b[0] == 0.73, "psycopg binary: propensity reads as float8 0.73")
    check(b[1] == b"\x00\x05" and b[2] == b"\x00\x04" and b[3] == b"\x00\x01" and b[4] == (543).to_bytes(2, "big"),
          "psycopg binary: stage, role, segment, rfm are int2's 2 bytes (ordinal / code)")
    check(isinstance(b[5], bytes) and b[5][0] == 1, "psycopg binary: funnel is bytes with the version byte first")
    check(isinstance(b[6], dict), "psycopg binary: funnel::jsonb reads as dict")
    for t in ("journey_stage", "buying_role", "segment", "rfm"):
        conn.adapters.register_loader(TypeInfo.fetch(conn, t).oid, Int2BinaryLoader)
    bcur = conn.cursor(binary=True)
    bcur.execute("SELECT stage, role, seg, cell FROM drv_all")
    check(bcur.fetchone() == (5, 4, 1, 543), "psycopg binary: with the int2 loader registered they read as 5, 4, 1, 543")
    # binary COPY both ways: float8 and int2 codecs
    conn.execute("TRUNCATE drv_write")
    with cur.copy("COPY drv_write (id, stage, p) FROM STDIN (FORMAT BINARY)") as cp:
        cp.set_types(["int4", "int2", "float8"])
        cp.write_row([2, 5, 0.25])
    cur.execute("SELECT stage::text, p FROM drv_write")
    check(cur.fetchone() == ("purchase", 0.25), "psycopg binary COPY FROM: int2 5 -> purchase, float8 0.25 -> propensity")
    with cur.copy("COPY (SELECT stage, p FROM drv_all) TO STDOUT (FORMAT BINARY)") as cp:
        cp.set_types(["int2", "float8"])
        got = list(cp.rows())
    check(got == [(5, 0.73)], "psycopg binary COPY TO: read with the int2 and float8 codecs")
    try:
        with cur.copy("COPY drv_write (p) FROM STDIN (FORMAT BINARY)") as cp:
            cp.set_types(["float8"])
            cp.write_row([1.5])
        check(False, "psycopg binary COPY of 1.5 into propensity is refused")
    except psycopg.Error as e:
        check(e.sqlstate == "22003", "psycopg binary COPY of 1.5 into propensity is refused (22003)")
    # reports
    n = reports(cur, reports_sql)
    cur.execute("SELECT * FROM drv_all, journey_timeline(j) LIMIT 1")
    types = {d.name: d.type_code for d in cur.description}
    check(types["days"] == FLOAT8_OID and types["stage_ordinal"] == INT4_OID, "psycopg: journey_timeline days float8, stage_ordinal int4")
    print("# psycopg %s: %d report functions" % (psycopg.__version__, n))


def run_psycopg2(dsn, reports_sql):
    import psycopg2
    import psycopg2.extensions as ext

    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT * FROM drv_all")
    row = cur.fetchone()
    cols = {d.name: (i, d.type_code) for i, d in enumerate(cur.description)}
    check(cols["p"][1] == FLOAT8_OID, "psycopg2: propensity column has type OID 701 (float8)")
    check(isinstance(row[cols["p"][0]], float) and row[cols["p"][0]] == 0.73, "psycopg2: propensity reads as float 0.73")
    for c in SCALAR + SUMMARY:
        check(isinstance(row[cols[c][0]], str), "psycopg2: %s reads as text" % c)
    cur.execute("SELECT " + ", ".join("%s::jsonb" % c for c in SUMMARY) + " FROM drv_all")
    check(all(isinstance(v, dict) for v in cur.fetchone()), "psycopg2: every summary ::jsonb reads as dict")
    cur.execute("SELECT 'journey_stage[]'::regtype::oid")
    arr = ext.new_array_type((cur.fetchone()[0],), "JOURNEY_STAGE[]", psycopg2.STRING)
    ext.register_type(arr, conn)
    cur.execute("SELECT stages FROM drv_all")
    check(cur.fetchone()[0] == ["awareness", "decision"], "psycopg2: journey_stage[] registered reads as list")
    import psycopg2.extras
    psycopg2.extras.register_composite("customer_summary", cur)
    cur.execute("SELECT customer_summary_agg(ts, 10, timestamptz '2025-03-01 00:00:00+00') FROM "
                "generate_series(timestamptz '2025-01-01 00:00:00+00', timestamptz '2025-02-01 00:00:00+00', interval '5 days') ts")
    cs = cur.fetchone()[0]
    check(cs.frequency == 6 and cs.recency == 30, "psycopg2: customer_summary registered reads as a named tuple (composite)")
    cur.execute("TRUNCATE drv_write")
    vals = list(row)
    vals[cols["stages"][0]] = "{awareness,decision}"
    cur.execute("INSERT INTO drv_write (%s) VALUES (%s)" % (", ".join(cols), ", ".join(["%s"] * len(cols))), vals)
    cur.execute(equal_rows_sql("drv_write"))
    check(cur.fetchone()[0] == 1, "psycopg2: every column written back with parameters is = to the original")
    n = reports(cur, reports_sql)
    print("# psycopg2 %s: %d report functions" % (psycopg2.__version__.split()[0], n))


if __name__ == "__main__":
    {"psycopg": run_psycopg, "psycopg2": run_psycopg2}[sys.argv[1]](sys.argv[2], sys.argv[3])
