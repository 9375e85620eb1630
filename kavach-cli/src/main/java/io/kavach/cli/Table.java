package io.kavach.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** A plain-text table: a header row, then rows, columns padded to their widest cell. */
final class Table {
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private final BitSet right = new BitSet();

    Table(String... headers) {
        this.headers = headers.clone();
    }

    /** Right-aligns the given columns (numbers). */
    Table alignRight(int... columns) {
        for (int column : columns) {
            right.set(column);
        }
        return this;
    }

    Table row(Object... cells) {
        String[] row = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            Object cell = i < cells.length ? cells[i] : null;
            row[i] = cell == null ? "" : Text.oneLine(cell.toString());
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out, String indent) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
            }
        }
        line(out, indent, headers, widths);
        for (String[] row : rows) {
            line(out, indent, row, widths);
        }
    }

    private void line(PrintWriter out, String indent, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            int pad = widths[i] - cell.codePointCount(0, cell.length());
            if (i > 0) {
                line.append("  ");
            }
            if (right.get(i)) {
                line.append(" ".repeat(pad)).append(cell);
            } else {
                line.append(cell).append(" ".repeat(pad));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
