package dev.filesink.compaction;

import dev.filesink.committer.FileSinkCommittable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The pending part files a compaction subtask holds back, per bucket in arrival order, and how they are grouped. */
final class WaitingFiles {

    private final Map<String, List<FileSinkCommittable>> byBucket = new LinkedHashMap<>();

    void add(FileSinkCommittable pendingFile) {
        byBucket.computeIfAbsent(pendingFile.bucketId(), ignored -> new ArrayList<>()).add(pendingFile);
    }

    /**
     * Takes the groups to compact now. A group closes once its files reach {@code sizeThreshold} bytes (a negative
     * threshold never closes one); with {@code everything}, each bucket's remaining files form one more group, else
     * they keep waiting.
     */
    List<List<FileSinkCommittable>> takeGroups(long sizeThreshold, boolean everything) {
        List<List<FileSinkCommittable>> groups = new ArrayList<>();
        Iterator<Map.Entry<String, List<FileSinkCommittable>>> buckets = byBucket.entrySet().iterator();
        while (buckets.hasNext()) {
            List<FileSinkCommittable> files = buckets.next().getValue();
            List<FileSinkCommittable> group = new ArrayList<>();
            long groupSize = 0;
            int taken = 0;
            for (int i = 0; i < files.size(); i++) {
                group.add(files.get(i));
                groupSize += files.get(i).size();
                if (sizeThreshold >= 0 && groupSize >= sizeThreshold) {
                    groups.add(group);
                    taken = i + 1;
                    group = new ArrayList<>();
                    groupSize = 0;
                }
            }
            if (everything && !group.isEmpty()) {
                groups.add(group);
                taken = files.size();
            }
            files.subList(0, taken).clear();
            if (files.isEmpty()) {
                buckets.remove();
            }
        }
        return groups;
    }

    /** Every waiting file, for the checkpoint. */
    List<FileSinkCommittable> all() {
        List<FileSinkCommittable> all = new ArrayList<>();
        byBucket.values().forEach(all::addAll);
        return all;
    }

    /** The buckets with files held back (partition commit must not announce them yet). */
    Set<String> buckets() {
        return new HashSet<>(byBucket.keySet());
    }

    int fileCount() {
        return byBucket.values().stream().mapToInt(List::size).sum();
    }

    long bytes() {
        return byBucket.values().stream().flatMap(List::stream).mapToLong(FileSinkCommittable::size).sum();
    }
}
