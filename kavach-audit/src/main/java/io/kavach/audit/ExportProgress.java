package io.kavach.audit;

/** Told how many rows an export has written: every {@value #EVERY} rows and once at the end. */
@FunctionalInterface
public interface ExportProgress {
    int EVERY = 10_000;

    ExportProgress NONE = rows -> { };

    void rowsWritten(long rows);
}
