package dev.filesink.formats.bulk;

import dev.filesink.partfile.MemoryReporting;

import org.apache.flink.api.common.serialization.BulkWriter;

/**
 * A bulk writer of our formats: reports its buffered memory to the sink's budget. Writers that hold one schema per
 * file (Avro, Parquet) also implement {@link dev.filesink.partfile.RollRequesting}.
 */
public interface FormatBulkWriter<T> extends BulkWriter<T>, MemoryReporting {}
