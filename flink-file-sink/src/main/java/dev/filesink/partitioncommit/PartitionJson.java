package dev.filesink.partitioncommit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The JSON text of a success file's or manifest's content; written by hand to keep the core free of JSON libraries. */
final class PartitionJson {

    private PartitionJson() {}

    /**
     * The announcement's summary: its files (sorted by path, so that a replay writes the same bytes) and their
     * statistics, then the partition's totals over all announcements.
     */
    static String of(CommittedPartition partition) {
        CommittedPartition.Totals announced = CommittedPartition.Totals.NONE;
        StringBuilder files = new StringBuilder();
        List<CommittedPartition.CommittedFile> sorted = new ArrayList<>(partition.files());
        sorted.sort(Comparator.comparing(file -> file.path().toString()));
        for (CommittedPartition.CommittedFile file : sorted) {
            announced = PartitionLedger.plus(announced, file);
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
        statistics(out, "  ", announced);
        out.append("  \"total\": {");
        statistics(out, "", partition.totals());
        out.setLength(out.length() - 2); // the last ",\n"
        out.append("},\n");
        out.append("  \"files\": [\n").append(files).append("\n  ]\n}\n");
        return out.toString();
    }

    private static void statistics(StringBuilder out, String indent, CommittedPartition.Totals totals) {
        String separator = indent.isEmpty() ? ", " : ",\n";
        out.append(indent).append("\"fileCount\": ").append(totals.files()).append(separator);
        out.append(indent).append("\"records\": ").append(totals.records()).append(separator);
        out.append(indent).append("\"bytes\": ").append(totals.bytes()).append(separator);
        if (totals.minEventTime() != null) {
            out.append(indent).append("\"minEventTime\": ").append(string(totals.minEventTime().toString()))
                    .append(separator);
            out.append(indent).append("\"maxEventTime\": ").append(string(totals.maxEventTime().toString()))
                    .append(separator);
        }
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
