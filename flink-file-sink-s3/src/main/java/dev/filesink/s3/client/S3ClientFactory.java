package dev.filesink.s3.client;

import dev.filesink.s3.S3Destination;
import dev.filesink.s3.config.S3Credentials;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.nio.file.Paths;

/** Builds the SDK's synchronous S3 client from a destination's settings. */
public final class S3ClientFactory {

    private S3ClientFactory() {}

    /**
     * @param connections the connection pool size: upload threads plus room for commits and staging requests
     */
    public static S3Client create(S3Destination destination, int connections) {
        Apache5HttpClient.Builder http = Apache5HttpClient.builder()
                .maxConnections(connections)
                .connectionTimeout(destination.connectionTimeout())
                .socketTimeout(destination.socketTimeout());

        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .addExecutionInterceptor(new AttemptCounter())
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(destination.retryMaxAttempts())
                        .backoffStrategy(BackoffStrategy.exponentialDelay(
                                destination.retryBaseDelay(), destination.retryMaxDelay()))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                                destination.retryBaseDelay(), destination.retryMaxDelay()))
                        // The quota would stop retrying during a long outage; the sink would rather wait it out.
                        .circuitBreakerEnabled(false)
                        .build());
        if (destination.apiCallTimeout() != null) {
            override.apiCallTimeout(destination.apiCallTimeout());
        }
        if (destination.apiCallAttemptTimeout() != null) {
            override.apiCallAttemptTimeout(destination.apiCallAttemptTimeout());
        }

        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(http)
                .overrideConfiguration(override.build())
                .credentialsProvider(credentialsProvider(destination.credentials()))
                .forcePathStyle(destination.pathStyleAccess())
                .region(region(destination));
        if (destination.endpoint() != null) {
            builder.endpointOverride(destination.endpoint());
        }
        if (!destination.checksums()) {
            // Only what an operation strictly requires; for stores that reject the newer checksum headers.
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    static Region region(S3Destination destination) {
        if (destination.region() != null) {
            return Region.of(destination.region());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (RuntimeException e) {
            if (destination.endpoint() != null) {
                // S3-compatible stores mostly ignore the region, but requests must be signed with one.
                return Region.US_EAST_1;
            }
            throw new IllegalArgumentException("No AWS region configured: set the sink's region (option "
                    + "'filesink.s3.region') or AWS_REGION", e);
        }
    }

    static AwsCredentialsProvider credentialsProvider(S3Credentials credentials) {
        switch (credentials.mode()) {
            case STATIC:
                return StaticCredentialsProvider.create(credentials.sessionToken() != null
                        ? AwsSessionCredentials.create(
                                credentials.accessKey(), credentials.secretKey(), credentials.sessionToken())
                        : AwsBasicCredentials.create(credentials.accessKey(), credentials.secretKey()));
            case PROFILE: {
                ProfileCredentialsProvider.Builder profile =
                        ProfileCredentialsProvider.builder().profileName(credentials.profileName());
                if (credentials.profileFile() != null) {
                    profile.profileFile(ProfileFile.builder()
                            .content(Paths.get(credentials.profileFile()))
                            .type(ProfileFile.Type.CREDENTIALS)
                            .build());
                }
                return profile.build();
            }
            case WEB_IDENTITY: {
                WebIdentityTokenFileCredentialsProvider.Builder web = WebIdentityTokenFileCredentialsProvider.builder();
                if (credentials.roleArn() != null) {
                    web.roleArn(credentials.roleArn());
                }
                if (credentials.webIdentityTokenFile() != null) {
                    web.webIdentityTokenFile(Paths.get(credentials.webIdentityTokenFile()));
                }
                if (credentials.roleSessionName() != null) {
                    web.roleSessionName(credentials.roleSessionName());
                }
                return web.build();
            }
            case ANONYMOUS:
                return AnonymousCredentialsProvider.create();
            case DEFAULT:
            default:
                return DefaultCredentialsProvider.builder().build();
        }
    }
}
