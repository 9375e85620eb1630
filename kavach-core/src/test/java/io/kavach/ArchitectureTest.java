package io.kavach;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of DESIGN section 2 on source level: the database-free modules never import
 * Jdbi, HikariCP, JDBC or a driver. (The enforcer's bannedDependencies rule guards their POMs.)
 */
class ArchitectureTest {
    private static final List<String> DATABASE_FREE =
            List.of("kavach-spi", "kavach-policy", "kavach-audit", "kavach-cost", "kavach-core");
    private static final Pattern BANNED =
            Pattern.compile("^import\\s+(static\\s+)?(org\\.jdbi|com\\.zaxxer|java\\.sql|javax\\.sql|org\\.sqlite|org\\.postgresql|io\\.kavach\\.store)\\b",
                    Pattern.MULTILINE);

    @Test
    void databaseFreeModulesImportNoDatabaseLibrary() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        int scanned = 0;
        for (String module : DATABASE_FREE) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).isDirectory();
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    scanned++;
                    assertThat(BANNED.matcher(read(file)).find()).as("%s imports a database library", root.relativize(file)).isFalse();
                }
            }
        }
        assertThat(scanned).as("source files scanned").isGreaterThan(40);
    }

    @Test
    void theRuleCatchesABannedImport() {
        assertThat(BANNED.matcher("package x;\nimport org.jdbi.v3.core.Jdbi;\n").find()).isTrue();
        assertThat(BANNED.matcher("package x;\nimport java.sql.Connection;\n").find()).isTrue();
        assertThat(BANNED.matcher("package x;\nimport java.time.Instant;\n").find()).isFalse();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
