package dev.filesink.bucketassigners.partitioning;

import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;

/** A partition level holding a field's value as text. */
final class ValueField<IN> extends PartitionField<IN> {

    private static final long serialVersionUID = 1L;

    private final FieldExtractor<IN> extractor;

    // Consecutive records mostly share values: reuse the last directory name. Keyed by the text, not the extracted
    // object, which may be a mutable instance the source reuses (Avro's Utf8).
    private transient String lastText;
    private transient String lastSegment;

    ValueField(String key, FieldExtractor<IN> extractor) {
        super(key);
        this.extractor = extractor;
    }

    @Override
    String segment(IN record, BucketAssigner.Context context, SegmentEncoder encoder) {
        Object value;
        try {
            value = extractor.extract(record);
        } catch (InvalidPartitionValueException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidPartitionValueException(key, "reading the value with " + extractor + " failed: "
                    + e.getMessage(), e);
        }
        String text = PartitionValues.text(key, value);
        if (lastSegment != null && text != null && text.equals(lastText)) {
            return lastSegment;
        }
        String segment = encoder.encode(key, text);
        lastText = text;
        lastSegment = segment;
        return segment;
    }

    @Override
    public String toString() {
        return key + "=" + extractor;
    }
}
