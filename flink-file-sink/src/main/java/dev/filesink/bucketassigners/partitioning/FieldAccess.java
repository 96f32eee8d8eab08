package dev.filesink.bucketassigners.partitioning;

import org.apache.flink.types.Row;

import java.io.Serializable;
import java.util.Map;

/**
 * How fields of a record type are read by name: lets {@link FieldPartitionBucketAssigner.Builder#field(String)}
 * take just a field name. Plug in other record types with a lambda, e.g. Avro:
 * {@code FieldPartitionBucketAssigner.forRecords((FieldAccess<GenericRecord>) name -> record -> record.get(name))}.
 */
@FunctionalInterface
public interface FieldAccess<IN> extends Serializable {

    /** An extractor of the named field; fails here, when the job is built, if the type has no such field. */
    FieldExtractor<IN> field(String name);

    /** Properties of a POJO or Java record: getter, record accessor or field, checked against the class now. */
    static <T> FieldAccess<T> pojo(Class<T> type) {
        return name -> FieldExtractors.pojo(type, name);
    }

    /** Fields of a Flink {@link Row} with named fields (as the Table API produces them). */
    static FieldAccess<Row> row() {
        return FieldExtractors::row;
    }

    /** Entries of a {@link Map} by key. */
    static <M extends Map<String, ?>> FieldAccess<M> map() {
        return FieldExtractors::mapKey;
    }
}
