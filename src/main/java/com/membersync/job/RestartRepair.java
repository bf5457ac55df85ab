package com.membersync.job;

import com.membersync.feed.FeedSpec;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.FeedRunStatus;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * Decides which job instance a feed's run works on: the interrupted one, resumed from its checkpoint, or a new one.
 * Repairs what a dead process or a lost state store left behind first, so that Spring Batch will restart it.
 */
@Component
class RestartRepair {

    private static final Logger log = LoggerFactory.getLogger(RestartRepair.class);
    private static final Set<BatchStatus> RESUMABLE = Set.of(BatchStatus.FAILED, BatchStatus.STOPPED);

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final FeedRunRepository feedRuns;
    private final Clock clock;

    RestartRepair(JobRepository jobRepository, JobOperator jobOperator, FeedRunRepository feedRuns, Clock clock) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.feedRuns = feedRuns;
        this.clock = clock;
    }

    /**
     * The parameters of the feed's interrupted instance of job {@code jobName} to resume it, or new ones for a new
     * instance.
     *
     * @param attempt which attempt of this run at the feed (see {@link FeedJobs}): a later one that must start over
     *                gets an instance of its own
     */
    JobParameters parametersFor(String jobName, FeedSpec feed, long runId, int attempt, boolean newRun)
            throws Exception {
        JobInstance lastInstance = jobRepository.getLastJobInstance(jobName);
        JobExecution last = lastInstance == null ? null : jobRepository.getLastJobExecution(lastInstance);
        if (last != null && !last.getStatus().isRunning()) {
            // Losing the state store mid-step can leave the job ended but a step recorded as still running, which
            // Spring Batch would take for a live run forever: mark such a step failed so the job can resume.
            for (StepExecution step : last.getStepExecutions()) {
                if (step.getStatus().isRunning()) {
                    log.warn("{}: step {} of the previous run did not record its end; marking it failed", feed.name(),
                            step.getStepName());
                    step.setStatus(BatchStatus.FAILED);
                    step.setExitStatus(ExitStatus.FAILED);
                    step.setEndTime(LocalDateTime.now(clock));
                    jobRepository.update(step);
                }
            }
        }
        if (last != null && last.getStatus().isRunning()) {
            // Left STARTED by a process that died (kill -9, OOM): mark it failed so it can be resumed.
            log.warn("{}: the previous run (execution {}) did not finish; recovering it", feed.name(), last.getId());
            last = jobOperator.recover(last);
        }
        if (last != null && (last.getStatus() == BatchStatus.UNKNOWN
                || last.getStepExecutions().stream().anyMatch(step -> step.getStatus() == BatchStatus.UNKNOWN))) {
            // Spring Batch marks a step UNKNOWN when it could not record its own outcome (the state store was lost
            // mid-step) and refuses to restart it, whether the job itself ended UNKNOWN or FAILED. Planning again
            // from the top is safe: the diff against the cached state skips what was already delivered.
            log.warn("{}: the interrupted run {} lost the state store mid-step and cannot be resumed; planning the"
                    + " feed again from the top", feed.name(), lastInstance.getInstanceId());
            feedRuns.end(lastInstance.getInstanceId(), FeedRunStatus.ABANDONED, "state store lost mid-step; planned again");
            return newInstance(runId, attempt);
        }
        if (last != null && RESUMABLE.contains(last.getStatus())) {
            if (newRun) {
                log.warn("{}: abandoning the interrupted run {} (--new)", feed.name(), lastInstance.getInstanceId());
                jobOperator.abandon(last);
                feedRuns.end(lastInstance.getInstanceId(), FeedRunStatus.ABANDONED, "abandoned by run --new");
            } else {
                log.info("{}: resuming the interrupted run {}", feed.name(), lastInstance.getInstanceId());
                return last.getJobParameters();
            }
        }
        return newInstance(runId, attempt);
    }

    /**
     * A new job instance of this run; an attempt after a conflict that had to start over gets one of its own, as
     * the run's first instance exists already.
     */
    private static JobParameters newInstance(long runId, int attempt) {
        JobParametersBuilder parameters = new JobParametersBuilder().addLong("run.id", runId);
        return (attempt > 1 ? parameters.addLong("attempt", (long) attempt) : parameters).toJobParameters();
    }
}
