package dev.filesink.partitioning;

import dev.filesink.bucketassigners.partitioning.FieldPartitionBucketAssigner;
import dev.filesink.bucketassigners.partitioning.PathStyle;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values chosen to break out of the base path, hide data or confuse readers: each must land in exactly two plain
 * directories below the base path (as the writer resolves bucket ids), real directories must be creatable there,
 * and the values must read back unchanged.
 */
class HostileValuesTest {

    static final List<String> HOSTILE = List.of(
            "..", ".", "../..", "../../etc/passwd", "/", "/etc", "//host/share", "\\\\host\\share", "a/b", "a\\b",
            "C:\\Windows", "c:", "hdfs://namenode:8020/x", "s3a://bucket/key", "file:///etc", "~", "~root",
            "k=v", "k=v/k2=v2", "%", "%2F", "%2E%2E", "%%41", "_hidden", ".hidden", "__HIVE_DEFAULT_PARTITION__",
            "HIVE_DEFAULT_PARTITION", "x\u0000y", "\n", "line\r\nbreak", "\t", "\u007F", "\u0085", "\u2028", "\u202Eevil",
            "*", "?", "[a-z]", "{a,b}", "^", "#frag", "?query", "\"quoted\"", "'single'", " ", " lead", "trail ",
            "ünïcödé", "日本語", "😀", "a".repeat(200));

    @TempDir java.nio.file.Path root;

    @ParameterizedTest
    @EnumSource(PathStyle.class)
    void everyHostileValueStaysTwoLevelsBelowTheBasePath(PathStyle style) throws Exception {
        FieldPartitionBucketAssigner<Map<String, Object>> assigner = assigner(style);
        List<String> values = new ArrayList<>(HOSTILE);
        values.addAll(randomValues(3_000));
        for (String a : values) {
            checkLandsBelowBase(assigner, a, "x");
            checkLandsBelowBase(assigner, "x", a);
        }
    }

    private FieldPartitionBucketAssigner<Map<String, Object>> assigner(PathStyle style) {
        return FieldPartitionBucketAssigner.<Map<String, Object>>forMaps()
                .field("a")
                .field("b")
                .withPathStyle(style)
                .build();
    }

    private void checkLandsBelowBase(FieldPartitionBucketAssigner<Map<String, Object>> assigner, String a, String b)
            throws Exception {
        Map<String, Object> record = new HashMap<>();
        record.put("a", a);
        record.put("b", b);
        String bucketId = assigner.getBucketId(record, TestContext.none());

        java.nio.file.Path base = root.resolve("base");
        // Resolved as FileWriter resolves it.
        Path bucketPath = new Path(new Path(base.toUri()), bucketId);
        String basePath = base.toAbsolutePath().toString();
        String resolved = bucketPath.toUri().getPath();
        assertThat(bucketPath.toUri().getScheme()).as(show(a, b)).isEqualTo("file");
        assertThat(bucketPath.toUri().getAuthority()).as(show(a, b)).isNull();
        assertThat(resolved).as(show(a, b)).startsWith(basePath + "/");
        String[] levels = resolved.substring(basePath.length() + 1).split("/", -1);
        assertThat(levels).as(show(a, b)).hasSize(2);
        for (String level : levels) {
            assertThat(level).as(show(a, b)).isNotEmpty().isNotIn(".", "..").doesNotStartWith(".").doesNotStartWith("_");
            assertThat(level.chars()).as(show(a, b)).noneMatch(Character::isISOControl);
        }
        assertThat(bucketPath.getParent().getParent().toUri().getPath()).isEqualTo(basePath);

        // A real file system agrees: the directories are created below the base path, nowhere else.
        java.nio.file.Path dir = Files.createDirectories(java.nio.file.Path.of(bucketPath.toUri()));
        assertThat(dir.toRealPath().getParent().getParent()).isEqualTo(base.toRealPath());

        Map<String, String> readBack = assigner.partitionValues(bucketId);
        assertThat(readBack).as(show(a, b)).containsEntry("a", expectedReadBack(assigner, a))
                .containsEntry("b", expectedReadBack(assigner, b));
    }

    /** Values equal to the default partition name read back as null, as in Hive. */
    private static String expectedReadBack(FieldPartitionBucketAssigner<?> assigner, String value) {
        String defaultName = assigner.pathStyle() == PathStyle.HIVE
                ? FieldPartitionBucketAssigner.DEFAULT_PARTITION_NAME
                : FieldPartitionBucketAssigner.VALUES_ONLY_DEFAULT_PARTITION_NAME;
        return value.equals(defaultName) ? null : value;
    }

    private static String show(String a, String b) {
        return "a='" + escapeJava(a) + "', b='" + escapeJava(b) + "'";
    }

    private static String escapeJava(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c < 0x20 || c >= 0x7F ? String.format("\\u%04X", c) : String.valueOf((char) c)));
        return out.toString();
    }

    private static List<String> randomValues(int count) {
        Random random = new Random(7);
        String alphabet = "./\\:=%_~*?#[]{}^\"' \u0000\n\r\u007F\u0085aZ9ü日";
        return Stream.generate(() -> {
            StringBuilder value = new StringBuilder();
            for (int n = 1 + random.nextInt(8); n > 0; n--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return value.toString();
        }).limit(count).toList();
    }
}
