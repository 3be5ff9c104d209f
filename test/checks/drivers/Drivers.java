// pgjdbc against b2btarget: metadata and values of every type, stringtype,
// binary transfer, arrays, jsonb casts, every report function.
// java Drivers URL REPORTS_SQL   (prints one line per check; exit 1 on failure)
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.*;
import java.util.List;

public class Drivers {
    static void check(boolean ok, String what) {
        System.out.println((ok ? "ok - " : "not ok - ") + what);
        if (!ok) System.exit(1);
    }

    static final String[] SCALAR = {"stage", "role", "seg", "cell"};
    static final String[] SUMMARY = {"f", "j", "c", "m", "l", "rt", "vt", "bg", "gg", "ls", "sh", "qs", "rh", "tp", "att", "cal", "up", "tpl", "km", "sv", "ci", "st"};

    public static void main(String[] args) throws Exception {
        String url = args[0];
        List<String> reports = Files.readAllLines(Paths.get(args[1]));
        try (Connection conn = DriverManager.getConnection(url)) {
            Statement st = conn.createStatement();
            ResultSet rs = st.executeQuery("SELECT * FROM drv_all");
            ResultSetMetaData md = rs.getMetaData();
            rs.next();
            int pcol = rs.findColumn("p");
            check(md.getColumnType(pcol) == Types.DOUBLE && md.getColumnTypeName(pcol).equals("float8"),
                  "pgjdbc: propensity metadata is DOUBLE / float8 (" + md.getColumnTypeName(pcol) + ")");
            check(rs.getObject(pcol) instanceof Double && rs.getDouble(pcol) == 0.73, "pgjdbc: propensity getObject is Double 0.73");
            for (String c : SCALAR) {
                int i = rs.findColumn(c);
                check(rs.getString(i) != null && md.getColumnType(i) == Types.OTHER,
                      "pgjdbc: " + c + " getString '" + rs.getString(i) + "' (" + md.getColumnTypeName(i) + ", OTHER)");
            }
            for (String c : SUMMARY)
                check(rs.getString(c) != null && rs.getString(c).startsWith("{"), "pgjdbc: " + c + " getString is JSON text");
            Array arr = rs.getArray("stages");
            Object[] stages = (Object[]) arr.getArray();
            check(stages.length == 2 && stages[0].toString().equals("awareness") && arr.getBaseTypeName().contains("journey_stage"),
                  "pgjdbc: journey_stage[] getArray gives {awareness, decision} (" + stages[0].getClass().getSimpleName() + " elements)");
            // jsonb casts
            rs = st.executeQuery("SELECT f::jsonb ->> 'awareness', c::jsonb -> 'pool' ->> 'weight', j::json FROM drv_all");
            rs.next();
            check(rs.getString(1) != null && rs.getString(2) != null && rs.getString(3).startsWith("{"),
                  "pgjdbc: ::jsonb ->> and ::json work (awareness " + rs.getString(1) + ")");
            // a varchar parameter against a stage: like PostgreSQL's own enums
            PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM drv_all WHERE stage = ?");
            ps.setString(1, "purchase");
            boolean failed = false;
            try { ps.executeQuery(); } catch (SQLException e) { failed = e.getMessage().contains("operator does not exist"); }
            check(failed, "pgjdbc: setString against journey_stage fails without stringtype=unspecified");
        }
        String sep = url.contains("?") ? "&" : "?";
        try (Connection conn = DriverManager.getConnection(url + sep + "stringtype=unspecified")) {
            PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM drv_all WHERE stage = ? AND role = ? AND seg = ? AND cell = ?");
            ps.setString(1, "purchase"); ps.setString(2, "champion"); ps.setString(3, "champions"); ps.setString(4, "5-4-3");
            ResultSet rs = ps.executeQuery(); rs.next();
            check(rs.getInt(1) == 1, "pgjdbc stringtype=unspecified: setString against stage, role, segment, rfm works");
            // write every column back: setString for our types, setDouble for p
            conn.createStatement().execute("TRUNCATE drv_write");
            rs = conn.createStatement().executeQuery("SELECT * FROM drv_all");
            ResultSetMetaData md = rs.getMetaData();
            rs.next();
            StringBuilder cols = new StringBuilder(), qs = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.append(i > 1 ? ", " : "").append(md.getColumnName(i));
                qs.append(i > 1 ? ", " : "").append("?");
            }
            PreparedStatement ins = conn.prepareStatement("INSERT INTO drv_write (" + cols + ") VALUES (" + qs + ")");
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String n = md.getColumnName(i);
                if (n.equals("p")) ins.setDouble(i, rs.getDouble(i));
                else if (n.equals("id")) ins.setInt(i, rs.getInt(i));
                else if (n.equals("stages")) ins.setArray(i, rs.getArray(i));
                else ins.setString(i, rs.getString(i));
            }
            ins.executeUpdate();
            StringBuilder on = new StringBuilder("true");
            for (String c : SCALAR) on.append(" AND a.").append(c).append(" = b.").append(c);
            for (String c : SUMMARY) on.append(" AND a.").append(c).append(" = b.").append(c);
            rs = conn.createStatement().executeQuery("SELECT count(*) FROM drv_all a JOIN drv_write b ON " + on + " AND a.p = b.p AND a.stages = b.stages");
            rs.next();
            check(rs.getInt(1) == 1, "pgjdbc: every column written back with parameters is = to the original");
            // every report function
            int n = 0;
            for (String q : reports) {
                if (q.startsWith("--") || q.isBlank()) continue;
                rs = conn.createStatement().executeQuery(q);
                int rows = 0;
                while (rs.next()) { for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) rs.getObject(i); rows++; }
                check(rows > 0, "pgjdbc report: " + q.substring(0, Math.min(60, q.length())));
                n++;
            }
            rs = conn.createStatement().executeQuery("SELECT r.* FROM drv_all, journey_timeline(j) r");
            md = rs.getMetaData();
            check(md.getColumnType(rs.findColumn("days")) == Types.DOUBLE && md.getColumnType(rs.findColumn("stage_ordinal")) == Types.INTEGER,
                  "pgjdbc: journey_timeline days is DOUBLE, stage_ordinal INTEGER");
            System.out.println("# pgjdbc " + conn.getMetaData().getDriverVersion() + ": " + n + " report functions");
        }
        // binary transfer (prepareThreshold=-1: server-prepared from the first
        // execution, float8 travels in binary)
        try (Connection conn = DriverManager.getConnection(url + sep + "prepareThreshold=-1")) {
            PreparedStatement ps = conn.prepareStatement("SELECT p, stage FROM drv_all WHERE id = ?");
            ps.setInt(1, 1);
            ResultSet rs = ps.executeQuery(); rs.next();
            check(rs.getDouble(1) == 0.73 && rs.getObject(1) instanceof Double && "purchase".equals(rs.getString(2)),
                  "pgjdbc binary transfer: propensity 0.73 as float8, stage as text");
        }
    }
}
