package io.kavach.store.sqlite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a second JVM on this module's test classpath, for the tests that need another process. */
final class ForkedJvm {
    private ForkedJvm() {
    }

    /** {@code java <jvmOptions> -cp <test classpath> <main> <args>}, with the java that runs this JVM. */
    static List<String> command(Class<?> main, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(testClassPath());
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    /**
     * The test classpath. Surefire may start this JVM from a manifest-only jar, leaving just that jar
     * in {@code java.class.path} (which would still work, through its manifest's Class-Path); it
     * publishes the real classpath as {@code surefire.test.class.path}.
     */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
