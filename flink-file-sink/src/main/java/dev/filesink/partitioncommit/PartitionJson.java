package dev.filesink.partitioncommit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The JSON text of a success file's or manifest's content; written by hand to keep the core free of JSON libraries. */
final class PartitionJson {

    private PartitionJson() {}

    /** The partition's summary; files sorted by path, so that a replay writes the same bytes. */
    static String of(CommittedPartition partition) {
        long records = 0;
        long bytes = 0;
        boolean recordsKnown = true;
        Instant min = null;
        Instant max = null;
        boolean timesKnown = true;
        StringBuilder files = new StringBuilder();
        List<CommittedPartition.CommittedFile> sorted = new ArrayList<>(partition.files());
        sorted.sort(Comparator.comparing(file -> file.path().toString()));
        for (CommittedPartition.CommittedFile file : sorted) {
            bytes += file.bytes();
            if (file.records() < 0) {
                recordsKnown = false;
            } else {
                records += file.records();
            }
            if (file.minEventTime() == null || file.maxEventTime() == null) {
                timesKnown = false;
            } else {
                min = min == null || file.minEventTime().isBefore(min) ? file.minEventTime() : min;
                max = max == null || file.maxEventTime().isAfter(max) ? file.maxEventTime() : max;
            }
            if (files.length() > 0) {
                files.append(",\n");
            }
            files.append("    ").append(file(file, null));
        }
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"bucket\": ").append(string(partition.bucketId())).append(",\n");
        out.append("  \"announcement\": ").append(partition.announcement()).append(",\n");
        if (partition.partitionTime() != null) {
            out.append("  \"partitionTime\": ").append(string(partition.partitionTime().toString())).append(",\n");
        }
        out.append("  \"fileCount\": ").append(partition.files().size()).append(",\n");
        out.append("  \"records\": ").append(recordsKnown ? records : -1).append(",\n");
        out.append("  \"bytes\": ").append(bytes).append(",\n");
        if (timesKnown && min != null) {
            out.append("  \"minEventTime\": ").append(string(min.toString())).append(",\n");
            out.append("  \"maxEventTime\": ").append(string(max.toString())).append(",\n");
        }
        out.append("  \"files\": [\n").append(files).append("\n  ]\n}\n");
        return out.toString();
    }

    /** One file as a JSON object; with its bucket when given (manifests). */
    static String file(CommittedPartition.CommittedFile file, String bucketId) {
        StringBuilder out = new StringBuilder("{\"path\": ").append(string(file.path().toString()));
        if (bucketId != null) {
            out.append(", \"bucket\": ").append(string(bucketId));
        }
        out.append(", \"bytes\": ").append(file.bytes()).append(", \"records\": ").append(file.records());
        if (file.minEventTime() != null && file.maxEventTime() != null) {
            out.append(", \"minEventTime\": ").append(string(file.minEventTime().toString()));
            out.append(", \"maxEventTime\": ").append(string(file.maxEventTime().toString()));
        }
        return out.append('}').toString();
    }

    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
