package dev.filesink.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Flink's jars as Maven copied them into {@code target/flink-lib} (the lib/ folder of a distribution: Flink publishes
 * no flink-dist jar for 2.x), the example job's fat jar, and how to start a JVM on them.
 */
public final class FlinkDistribution {

    /** The JVM options Flink's own start scripts pass on Java 17 ({@code env.java.opts.all} of the default config). */
    public static final List<String> JAVA_17_OPTIONS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Path lib;
    private final Path exampleJar;
    private final Path javaBinary;

    public FlinkDistribution(Path lib, Path exampleJar) {
        this.lib = lib.toAbsolutePath();
        this.exampleJar = exampleJar.toAbsolutePath();
        this.javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isDirectory(lib) || !Files.exists(lib.resolve("flink-runtime-" + flinkVersion() + ".jar"))) {
            throw new IllegalStateException("Flink's jars are not in " + lib + ": build the module first (mvn package)");
        }
        if (!Files.isRegularFile(exampleJar)) {
            throw new IllegalStateException("The example job's jar " + exampleJar + " is missing: run mvn package");
        }
    }

    /** The locations the build passes to the tests ({@code e2e.flink.lib}, {@code e2e.example.jar}). */
    public static FlinkDistribution fromBuild() {
        return new FlinkDistribution(
                Path.of(required("e2e.flink.lib", "target/flink-lib")),
                Path.of(required("e2e.example.jar", "target/flink-file-sink-example.jar")));
    }

    private static String required(String property, String fallback) {
        return System.getProperty(property, fallback);
    }

    static String flinkVersion() {
        return "2.3.0";
    }

    public Path exampleJar() {
        return exampleJar;
    }

    public Path lib() {
        return lib;
    }

    /** Every jar of lib/, sorted, as a class path. */
    public String classPath() {
        try (Stream<Path> jars = Files.list(lib)) {
            return String.join(java.io.File.pathSeparator, jars.filter(p -> p.toString().endsWith(".jar"))
                    .sorted().map(Path::toString).toList());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + lib, e);
        }
    }

    /** {@code java <jvmOptions> <Java 17 options> -cp lib/* <mainClass> <args>}. */
    public List<String> javaCommand(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary.toString());
        command.addAll(jvmOptions);
        command.addAll(JAVA_17_OPTIONS);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
