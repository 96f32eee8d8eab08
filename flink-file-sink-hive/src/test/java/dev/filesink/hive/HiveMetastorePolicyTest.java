package dev.filesink.hive;

import org.apache.flink.util.InstantiationUtil;

import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy's pure logic: URIs, locations, settings kept out of toString(). */
class HiveMetastorePolicyTest {

    @Test
    void badUrisFailNamingThemWithoutUserInfo() {
        assertThatThrownBy(() -> HiveMetastorePolicy.builder().metastoreUri("http://host:9083").database("d").table("t").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'http://host:9083' is not of the form thrift://host:port");
        assertThatThrownBy(() -> HiveMetastorePolicy.builder().metastoreUri("thrift://host").database("d").table("t").build())
                .hasMessageContaining("'thrift://host'");
        assertThatThrownBy(
                        () -> HiveMetastorePolicy.builder()
                                .metastoreUri("thrift://user:secret@host")
                                .database("d")
                                .table("t")
                                .build())
                .hasMessageContaining("'thrift://host'")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> HiveMetastorePolicy.builder().database("d").table("t").build())
                .hasMessageContaining("No Hive Metastore URI");
        assertThatThrownBy(() -> HiveMetastorePolicy.builder().metastoreUri("thrift://h:1").table("t").build())
                .hasMessageContaining("database name is missing");
    }

    @Test
    void toStringLeavesSettingValuesOut() {
        HiveMetastorePolicy policy =
                HiveMetastorePolicy.builder()
                        .metastoreUri("thrift://metastore:9083")
                        .database("db")
                        .table("events")
                        .clientSetting("metastore.truststore.password", "s3cr3t")
                        .build();
        assertThat(policy.toString())
                .contains("thrift://metastore:9083", "db.events", "metastore.truststore.password")
                .doesNotContain("s3cr3t");
        assertThat(policy.name()).isEqualTo("metastore");
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        HiveMetastorePolicy policy =
                HiveMetastorePolicy.builder()
                        .metastoreUri("thrift://metastore:9083")
                        .database("db")
                        .table("events")
                        .clientSetting("metastore.client.socket.timeout", "30s")
                        .locationScheme("s3", "s3a")
                        .build();
        policy.open(null);
        HiveMetastorePolicy copy =
                InstantiationUtil.clone(policy, HiveMetastorePolicyTest.class.getClassLoader());
        assertThat(copy.toString()).isEqualTo(policy.toString());
        policy.close();
    }

    @Test
    void connectionFailuresAreToldApartFromRefusals() {
        assertThat(MetastoreConnection.isConnectionFailure(
                        new MetaException("Could not connect to meta store using any of the URIs provided.")))
                .isTrue();
        assertThat(MetastoreConnection.isConnectionFailure(
                        new RuntimeException(new TTransportException(new java.net.ConnectException("refused")))))
                .isTrue();
        assertThat(MetastoreConnection.isConnectionFailure(new MetaException("Permission denied"))).isFalse();
        assertThat(MetastoreConnection.isConnectionFailure(new AlreadyExistsException("exists"))).isFalse();
        assertThat(MetastoreConnection.isConnectionFailure(new TApplicationException("Invalid method name")))
                .isFalse();
    }

    @Test
    void locationsCompareAsDirectories() {
        assertThat(PartitionLocations.same("file:/tmp/t/dt=1", "file:///tmp/t/dt=1/")).isTrue();
        assertThat(PartitionLocations.same("HDFS://NN:8020/t/dt=1", "hdfs://nn:8020/t/./dt=1")).isTrue();
        assertThat(PartitionLocations.same("s3a://b/t/dt=1", "s3://b/t/dt=1")).isFalse();
        assertThat(PartitionLocations.same("file:/tmp/t/dt=1", "file:/tmp/t/dt=2")).isFalse();
        assertThat(PartitionLocations.same(null, "file:/tmp/t/dt=2")).isFalse();
        assertThat(PartitionLocations.withScheme("s3://b/t/dt=1", "s3", "s3a")).isEqualTo("s3a://b/t/dt=1");
        assertThat(PartitionLocations.withScheme("hdfs://nn/t", "s3", "s3a")).isEqualTo("hdfs://nn/t");
    }
}
