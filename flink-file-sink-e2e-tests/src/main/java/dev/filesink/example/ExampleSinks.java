package dev.filesink.example;

import dev.filesink.FileSink;
import dev.filesink.bucketassigners.DateTimeBucketAssigner;
import dev.filesink.formats.Formats;
import dev.filesink.formats.avro.AvroCodec;
import dev.filesink.formats.compression.Compression;
import dev.filesink.formats.parquet.ParquetCodec;
import dev.filesink.rollingpolicies.DefaultRollingPolicy;
import dev.filesink.rollingpolicies.OnCheckpointRollingPolicy;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.RollingPolicy;
import org.apache.flink.util.function.SerializableFunction;

import java.util.List;
import java.util.Locale;

/** Builds the example's sink from the options: format and compression, bucketing, rolling, storage. */
final class ExampleSinks {

    static final List<String> FORMATS = List.of("text", "json", "csv", "avro", "parquet");

    private ExampleSinks() {}

    /** Attaches the sink the options describe to the record lines. */
    static DataStreamSink<?> attach(DataStream<String> lines, ExampleOptions options, Destination destination) {
        String compression = options.compression().toUpperCase(Locale.ROOT);
        switch (options.format()) {
            case "text":
                Encoder<String> text = compression.equals("NONE")
                        ? new SimpleStringEncoder<>()
                        : Formats.<String>text().withCompression(rowCompression(compression)).encoder();
                return lines.sinkTo(rowSink(options, destination, text, ".txt" + rowCompression(compression).extension(),
                        ExampleRecords::idOf));
            case "json":
                var json = Formats.jsonLines(ExampleEvent.class).withCompression(rowCompression(compression));
                return events(lines).sinkTo(rowSink(options, destination, json.encoder(), json.suffix(), e -> e.id));
            case "csv":
                var csv = Formats.csv(ExampleEvent.class, "id", "line").withCompression(rowCompression(compression));
                return events(lines).sinkTo(rowSink(options, destination, csv.encoder(), csv.suffix(), e -> e.id));
            case "avro":
                var avro = Formats.avroOfReflect(ExampleEvent.class).withCodec(avroCodec(compression));
                return events(lines).sinkTo(bulkSink(options, destination, avro.writerFactory(), avro.suffix()));
            case "parquet":
                var parquet = Formats.parquetOfReflect(ExampleEvent.class).withCompression(parquetCodec(compression));
                return events(lines).sinkTo(bulkSink(options, destination, parquet.writerFactory(), parquet.suffix()));
            default:
                throw new IllegalArgumentException("Option --format: unsupported format '" + options.format()
                        + "'. Supported: " + String.join(", ", FORMATS) + ".");
        }
    }

    private static DataStream<ExampleEvent> events(DataStream<String> lines) {
        return lines.map(ExampleEvent::of).name("to-event").uid("to-event");
    }

    private static <T> FileSink<T> rowSink(ExampleOptions options, Destination destination, Encoder<T> encoder,
            String suffix, SerializableFunction<T, Long> idOf) {
        RollingPolicy<T, String> rolling = options.rollOnCheckpoint()
                ? OnCheckpointRollingPolicy.build()
                : DefaultRollingPolicy.builder()
                        .withMaxPartSize(options.maxPartSize())
                        .withRolloverInterval(options.rolloverInterval())
                        .withInactivityInterval(options.rolloverInterval())
                        .build();
        return FileSink.forRowFormat(destination.basePath(), encoder)
                .withStorage(destination.storage())
                .withBucketAssigner(bucketAssigner(options, idOf))
                .withRollingPolicy(rolling)
                .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(suffix).build())
                .withBucketCheckInterval(Math.min(1_000, options.rolloverInterval().toMillis()))
                .withWriteBufferSize(options.writeBufferSize())
                .withCommitParallelism(options.commitParallelism())
                .build();
    }

    /** Bulk formats roll on every checkpoint (and at the end of a BATCH job). */
    private static FileSink<ExampleEvent> bulkSink(ExampleOptions options, Destination destination,
            BulkWriter.Factory<ExampleEvent> writers, String suffix) {
        return FileSink.forBulkFormat(destination.basePath(), writers)
                .withStorage(destination.storage())
                .withBucketAssigner(bucketAssigner(options, (ExampleEvent e) -> e.id))
                .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(suffix).build())
                .withWriteBufferSize(options.writeBufferSize())
                .withCommitParallelism(options.commitParallelism())
                .build();
    }

    private static <T> BucketAssigner<T, String> bucketAssigner(ExampleOptions options, SerializableFunction<T, Long> idOf) {
        return options.buckets() > 0 ? new RecordIdBucketAssigner<>(options.buckets(), idOf) : new DateTimeBucketAssigner<>();
    }

    private static Compression rowCompression(String name) {
        try {
            return Compression.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw badCompression(name, "none, gzip, zstd, snappy");
        }
    }

    private static ParquetCodec parquetCodec(String name) {
        try {
            return ParquetCodec.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw badCompression(name, "none, snappy, gzip, zstd");
        }
    }

    private static AvroCodec avroCodec(String name) {
        switch (name) {
            case "NONE": return AvroCodec.none();
            case "SNAPPY": return AvroCodec.snappy();
            case "DEFLATE": return AvroCodec.deflate(6);
            case "ZSTD": return AvroCodec.zstd(3);
            default: throw badCompression(name, "none, snappy, deflate, zstd");
        }
    }

    private static IllegalArgumentException badCompression(String name, String supported) {
        return new IllegalArgumentException("Option --compression: '" + name.toLowerCase(Locale.ROOT)
                + "' is not supported by this format; supported: " + supported + ".");
    }
}
