package dev.filesink.example;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The example job: numbered records of about 100 bytes, written exactly once by our file sink.
 *
 * <p>Run without arguments ({@code ./run-example.sh}) it is a bounded STREAMING job on an embedded MiniCluster that
 * writes 60,000 records in about 20 seconds into {@code ./example-output}, checkpointing every 3 seconds; submitted
 * with {@code flink run} it runs on that cluster. {@code --help} lists the options.
 */
public final class ExampleJob {

    private static final long PROGRESS_INTERVAL_MS = 2_000;

    private ExampleJob() {}

    public static void main(String[] args) throws Exception {
        if (ExampleOptions.isHelp(args)) {
            System.out.println(ExampleOptions.usage());
            return;
        }
        ExampleOptions options = ExampleOptions.parse(args);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(restartStrategy(options));
        Destination destination = Destinations.parse(options.destination(), env.getConfiguration(), options.connectorOptions());
        boolean embedded = "local".equals(env.getConfiguration().get(DeploymentOptions.TARGET));
        env.setRuntimeMode(options.mode());
        if (options.parallelism() != null) {
            env.setParallelism(options.parallelism());
        } else if (embedded) {
            env.setParallelism(2);
        }
        if (options.mode() == RuntimeExecutionMode.STREAMING) {
            env.enableCheckpointing(options.checkpointInterval().toMillis());
        }

        ExampleSinks.attach(ExampleRecords.source(env, options.records(), options.rate()), options, destination)
                .name("file-sink")
                .uid("file-sink");

        System.out.printf("Writing %s records%s as %s in %s mode at parallelism %d to %s%s%n",
                options.bounded() ? String.format("%,d", options.records()) : "unbounded",
                options.rate() > 0 ? String.format(" at %,.0f records/s", options.rate()) : "",
                options.format() + (options.compression().equals("none") ? "" : " (" + options.compression() + ")"),
                options.mode(), env.getParallelism(), destination.describe(),
                embedded ? " on an embedded MiniCluster" : "");

        JobClient job = env.executeAsync(options.jobName());
        System.out.println("Submitted job " + job.getJobID() + " (" + options.jobName() + ")");
        if (!env.getConfiguration().get(DeploymentOptions.ATTACHED)) {
            return; // flink run -d: the job runs on without us
        }
        awaitWithProgress(job, destination);
        OutputReport.print(destination, options);
    }

    private static Configuration restartStrategy(ExampleOptions options) {
        Configuration conf = new Configuration();
        if (options.restartAttempts() == 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, options.restartAttempts());
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, options.restartDelay());
        }
        return conf;
    }

    private static void awaitWithProgress(JobClient job, Destination destination) throws Exception {
        Progress progress = new Progress(destination);
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        while (true) {
            try {
                JobExecutionResult done = result.get(PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS);
                System.out.printf("Job %s finished after %,d ms%n", done.getJobID(), done.getNetRuntime());
                return;
            } catch (TimeoutException e) {
                System.out.println(progress.line(statusOf(job)));
            } catch (ExecutionException e) {
                throw JobFailedException.of(job.getJobID(), e.getCause());
            }
        }
    }

    private static String statusOf(JobClient job) {
        try {
            return job.getJobStatus().get(PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS).toString();
        } catch (Exception e) {
            return "status unknown";
        }
    }
}
