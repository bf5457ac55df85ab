package com.membersync.plan;

import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * How many feeds of this process plan at once: as many as it has cores. Planning is CPU work and holds a state-store
 * connection for each block; fifty feeds planning together on two cores would finish no sooner, and would wait for
 * connections until the pool gave up on them. Deliveries, which mostly wait on the vendors, are not limited.
 */
@Component
class PlanSlots implements StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(PlanSlots.class);

    private final Semaphore slots;
    private final int size;

    PlanSlots() {
        this.size = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.slots = new Semaphore(size, true);
    }

    @Override
    public void beforeStep(StepExecution step) {
        if (!slots.tryAcquire()) {
            log.info("{}: waiting for one of the {} feeds planning at once to finish", step.getStepName(), size);
            slots.acquireUninterruptibly();
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution step) {
        slots.release();
        return step.getExitStatus();
    }
}
