package dev.filesink.formats.bulk;

import dev.filesink.formats.Formats;

import java.util.function.Function;

/** Asks for a format the way a job's code does (a direct call), for {@link JobClassPathTest}'s class loaders. */
public final class FormatsCaller implements Function<String, Object> {

    @Override
    public Object apply(String format) {
        return switch (format) {
            case "parquet" -> Formats.parquetOfReflect(JobClassPathTest.Pojo.class);
            case "orc" -> Formats.orc(new JobClassPathTest.IdVectorizer());
            case "avro" -> Formats.avroOfReflect(JobClassPathTest.Pojo.class);
            default -> throw new IllegalArgumentException(format);
        };
    }
}
