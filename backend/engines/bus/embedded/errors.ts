/** Typed errors of the embedded log. Each names what went wrong and what to do about it. */

/** Another live process (or another bus in this process) already has the log directory open. */
export class BusDirLockedError extends Error {
  readonly code = 'bus_dir_locked';
  readonly dir: string;
  readonly ownerPid: number;
  constructor(dir: string, ownerPid: number) {
    super(
      `bus directory ${dir} is in use by process ${ownerPid}; stop that process or point bus.dir elsewhere`,
    );
    this.name = 'BusDirLockedError';
    this.dir = dir;
    this.ownerPid = ownerPid;
  }
}

/** A topic name the log cannot use as a directory name (same rule as Kafka's). */
export class InvalidTopicNameError extends Error {
  readonly code = 'invalid_topic_name';
  readonly topic: string;
  constructor(topic: string) {
    super(
      `invalid topic name ${JSON.stringify(topic.slice(0, 100))}: use 1-249 characters from [A-Za-z0-9._-], not "." or ".."`,
    );
    this.name = 'InvalidTopicNameError';
    this.topic = topic;
  }
}

/** Bad options given to openEmbeddedBus. */
export class InvalidBusOptionsError extends Error {
  readonly code = 'invalid_bus_options';
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`invalid embedded bus options: ${issues.join('; ')}`);
    this.name = 'InvalidBusOptionsError';
    this.issues = issues;
  }
}

/**
 * Bytes inside a sealed (non-tail) segment failed their checksum or framing. Recovery only repairs the
 * tail of the last segment; damage elsewhere means the disk lost data, and it is reported, never skipped.
 */
export class CorruptSegmentError extends Error {
  readonly code = 'corrupt_segment';
  readonly file: string;
  readonly position: number;
  constructor(file: string, position: number, reason: string) {
    super(`corrupt record in ${file} at byte ${position}: ${reason}; restore the file or delete the segment`);
    this.name = 'CorruptSegmentError';
    this.file = file;
    this.position = position;
  }
}

/** A read asked for an offset the partition no longer (or not yet) holds. */
export class OffsetOutOfRangeError extends Error {
  readonly code = 'offset_out_of_range';
  readonly offset: number;
  readonly logStart: number;
  readonly logEnd: number;
  constructor(offset: number, logStart: number, logEnd: number) {
    super(`offset ${offset} is outside the log [${logStart}, ${logEnd})`);
    this.name = 'OffsetOutOfRangeError';
    this.offset = offset;
    this.logStart = logStart;
    this.logEnd = logEnd;
  }
}

/** One record is larger than a frame may be; splitting it is the producer's job, retrying will not help. */
export class RecordTooLargeError extends Error {
  readonly code = 'record_too_large';
  readonly bytes: number;
  readonly maxBytes: number;
  constructor(bytes: number, maxBytes: number) {
    super(`a record of ${bytes} bytes exceeds the embedded log's limit of ${maxBytes} bytes per record`);
    this.name = 'RecordTooLargeError';
    this.bytes = bytes;
    this.maxBytes = maxBytes;
  }
}
