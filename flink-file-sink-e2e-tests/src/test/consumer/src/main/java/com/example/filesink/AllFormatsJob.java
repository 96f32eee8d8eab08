package com.example.filesink;

import dev.filesink.FileSink;
import dev.filesink.azure.AzureBlobDestination;
import dev.filesink.azure.AzureBlobStorage;
import dev.filesink.formats.Formats;
import dev.filesink.formats.compression.Compression;
import dev.filesink.partitioncommit.PartitionCommit;
import dev.filesink.s3.S3Destination;
import dev.filesink.s3.S3Storage;
import dev.filesink.s3.config.S3Credentials;
import dev.filesink.storage.PartFileStorage;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * One job that writes the same orders in every format to a local folder, an S3 bucket and an Azure container, and
 * once more, partitioned, to {@code <local folder>-partitioned} with a success file per partition.
 *
 * <p>Arguments: record count, local folder, S3 endpoint, S3 bucket, S3 access key, S3 secret key, Azure Blob
 * endpoint, Azure container, Azure account key.
 */
public final class AllFormatsJob {

    private AllFormatsJob() {}

    public static void main(String[] args) throws Exception {
        long count = Long.parseLong(args[0]);
        String localFolder = args[1];
        PartFileStorage s3 = S3Storage.of(S3Destination.builder()
                .endpoint(args[2])
                .pathStyleAccess(true)
                .region("us-east-1")
                .credentials(S3Credentials.staticKeys(args[4], args[5]))
                .build());
        String s3Base = "s3://" + args[3] + "/";
        PartFileStorage azure = AzureBlobStorage.of(AzureBlobDestination.builder()
                .endpoint(args[6])
                .accountKey(args[8])
                .build());
        String azureBase = "abfss://" + args[7] + "@devstoreaccount1.dfs.core.windows.net/";

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        DataStream<Order> orders = env.fromSequence(0, count - 1).map(Order::of).returns(Order.class);
        DataStream<byte[]> bytes = orders.map(o -> (o.id + "\n").getBytes(StandardCharsets.UTF_8))
                .returns(byte[].class);

        writeAll(orders, bytes, base -> new Path("file://" + localFolder + "/" + base), null);
        writeAll(orders, bytes, base -> new Path(s3Base + base), s3);
        writeAll(orders, bytes, base -> new Path(azureBase + base), azure);
        orders.sinkTo(Formats.<Order>text().withCompression(Compression.GZIP)
                .sink(new Path("file://" + localFolder + "-partitioned"))
                .withBucketAssigner(new OrderShards())
                // Processing time: shard=N holds no time to extract (BATCH announces every partition at the end anyway).
                .withPartitionCommit(PartitionCommit.builder().processTime().successFileWithJson().build())
                .build());
        env.execute("every format, three storages");
    }

    private static void writeAll(
            DataStream<Order> orders, DataStream<byte[]> bytes, Function<String, Path> at, PartFileStorage storage) {
        orders.sinkTo(sink(Formats.<Order>text().withCompression(Compression.GZIP).sink(at.apply("text")), storage));
        orders.sinkTo(sink(Formats.jsonLines(Order.class).sink(at.apply("json")), storage));
        orders.sinkTo(sink(Formats.csv(Order.class, "id", "customer", "amount").sink(at.apply("csv")), storage));
        bytes.sinkTo(sink(Formats.rawBytes().sink(at.apply("bytes")), storage));
        orders.sinkTo(sink(Formats.parquetOfReflect(Order.class).sink(at.apply("parquet")), storage));
        orders.sinkTo(sink(Formats.avroOfReflect(Order.class).sink(at.apply("avro")), storage));
        orders.sinkTo(sink(Formats.orc(new OrderVectorizer()).sink(at.apply("orc")), storage));
    }

    private static <T> FileSink<T> sink(FileSink.BucketsBuilder<T, ?> builder, PartFileStorage storage) {
        builder.withBucketAssigner(new BasePathBucketAssigner<>());
        if (storage != null) {
            builder.withStorage(storage);
        }
        return builder.build();
    }
}
