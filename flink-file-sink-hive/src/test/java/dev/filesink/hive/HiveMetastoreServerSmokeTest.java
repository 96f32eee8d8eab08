package dev.filesink.hive;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class HiveMetastoreServerSmokeTest {
    @Test
    void starts(@TempDir Path tmp) throws Exception {
        try (HiveMetastoreServer server = HiveMetastoreServer.start(tmp)) {
            System.out.println("STARTUP " + server.startUpTime());
            try (HiveMetaStoreClient client = server.newClient()) {
                System.out.println("DBS " + client.getAllDatabases());
            }
        }
    }
}
