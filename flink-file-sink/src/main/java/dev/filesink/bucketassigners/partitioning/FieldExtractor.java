package dev.filesink.bucketassigners.partitioning;

import java.io.Serializable;

/**
 * Reads one field of a record, for a partition value. Any lambda will do, e.g. for Avro
 * {@code (GenericRecord r) -> r.get("country")}; {@link FieldExtractors} has ready ones for POJOs, {@code Row}s and
 * {@code Map}s. Returns {@code null} when the record has no value: the record goes to the default partition.
 */
@FunctionalInterface
public interface FieldExtractor<IN> extends Serializable {

    Object extract(IN record);
}
