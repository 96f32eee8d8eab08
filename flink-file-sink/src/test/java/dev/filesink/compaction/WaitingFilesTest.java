package dev.filesink.compaction;

import dev.filesink.committer.FileSinkCommittable;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How waiting files are grouped by size and by the every-N-checkpoints trigger (pure logic). */
class WaitingFilesTest {

    @Test
    void sizeThresholdClosesGroupsAndKeepsTheRestWaiting() {
        WaitingFiles waiting = new WaitingFiles();
        add(waiting, "a", 40, 40, 40, 40, 10);
        add(waiting, "b", 30);

        List<List<FileSinkCommittable>> groups = waiting.takeGroups(80, false);

        assertThat(groups).extracting(List::size).containsExactly(2, 2);
        assertThat(groups).allSatisfy(group -> assertThat(group).allSatisfy(f -> assertThat(f.bucketId()).isEqualTo("a")));
        assertThat(waiting.fileCount()).isEqualTo(2);
        assertThat(waiting.bytes()).isEqualTo(40);
    }

    @Test
    void everythingTakesTheRemaindersToo() {
        WaitingFiles waiting = new WaitingFiles();
        add(waiting, "a", 40, 40, 10);
        add(waiting, "b", 30);

        List<List<FileSinkCommittable>> groups = waiting.takeGroups(80, true);

        assertThat(groups).extracting(List::size).containsExactly(2, 1, 1);
        assertThat(waiting.fileCount()).isZero();
        assertThat(waiting.all()).isEmpty();
    }

    @Test
    void withoutSizeThresholdEachBucketIsOneGroup() {
        WaitingFiles waiting = new WaitingFiles();
        add(waiting, "a", 1, 2, 3);
        add(waiting, "b", 4, 5);

        assertThat(waiting.takeGroups(-1, false)).isEmpty();
        assertThat(waiting.takeGroups(-1, true)).extracting(List::size).containsExactly(3, 2);
    }

    @Test
    void keepsArrivalOrderWithinABucket() {
        WaitingFiles waiting = new WaitingFiles();
        add(waiting, "a", 1, 2, 3);

        List<FileSinkCommittable> group = waiting.takeGroups(-1, true).get(0);

        assertThat(group).extracting(FileSinkCommittable::size).containsExactly(1L, 2L, 3L);
    }

    private static int counter;

    private static void add(WaitingFiles waiting, String bucket, long... sizes) {
        for (long size : sizes) {
            waiting.add(FileSinkCommittable.pendingFile(
                    bucket, new Path("file:/out/" + bucket + "/part-" + counter++), new NoRecoverable(), size, 1));
        }
    }

    private static final class NoRecoverable implements org.apache.flink.core.fs.RecoverableWriter.CommitRecoverable {}
}
