/**
 * The query store's tables, as versioned migrations. Types are the ones both engines know (TEXT, INTEGER, BIGINT,
 * DOUBLE PRECISION); booleans are INTEGER 0/1; times are ISO 8601 TEXT. Every projected row carries the
 * transaction and block that wrote it (tx_id, block_number, tx_index), which the upserts use to never go back.
 */

/** One schema version: statements run in one transaction, in order. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
  /**
   * Object types whose records, already mirrored in ledger_kv, are projected again after the statements (in the
   * same transaction), so that new projection tables start complete on a store that has followed blocks.
   */
  readonly reproject?: readonly string[];
}

/** Columns every projected table ends with. */
const WRITTEN_BY = 'tx_id TEXT NOT NULL, block_number BIGINT NOT NULL, tx_index INTEGER NOT NULL';

/** Every migration, oldest first. Add new versions at the end; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger mirror, checkpoint and projections',
    statements: [
      // The last block whose every transaction has been applied (one row).
      `CREATE TABLE follower_checkpoint (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        block_number BIGINT NOT NULL,
        channel TEXT NOT NULL,
        chaincode TEXT NOT NULL,
        updated_at TEXT NOT NULL)`,
      // The chaincode's world state, exactly: every key's latest value and the version (block, tx) that wrote it.
      // Keys are JSON-escaped (composite keys hold U+0000, which PostgreSQL text cannot); values are UTF-8 text
      // when they are, base64 otherwise (index entries hold a 0x00 byte).
      `CREATE TABLE ledger_kv (
        key TEXT PRIMARY KEY,
        value TEXT,
        value_encoding TEXT NOT NULL,
        deleted INTEGER NOT NULL,
        ${WRITTEN_BY})`,
      // Every valid transaction of the chaincode, with the event it emitted.
      `CREATE TABLE ledger_transactions (
        tx_id TEXT PRIMARY KEY,
        block_number BIGINT NOT NULL,
        tx_index INTEGER NOT NULL,
        timestamp TEXT NOT NULL,
        creator_msp TEXT NOT NULL,
        function_name TEXT,
        event_name TEXT,
        writes INTEGER NOT NULL)`,
      `CREATE INDEX ledger_transactions_block ON ledger_transactions (block_number, tx_index)`,
      `CREATE TABLE members (
        msp_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        status TEXT NOT NULL,
        region TEXT,
        record TEXT NOT NULL,
        ${WRITTEN_BY})`,
      `CREATE TABLE lots (
        lot_id TEXT PRIMARY KEY,
        gtin TEXT NOT NULL,
        lot TEXT NOT NULL,
        serial TEXT,
        product TEXT NOT NULL,
        category TEXT NOT NULL,
        quantity DOUBLE PRECISION NOT NULL,
        remaining DOUBLE PRECISION NOT NULL,
        unit TEXT NOT NULL,
        status TEXT NOT NULL,
        producer TEXT NOT NULL,
        custodian TEXT NOT NULL,
        origin_region TEXT,
        origin_gln TEXT,
        origin_latitude DOUBLE PRECISION,
        origin_longitude DOUBLE PRECISION,
        production_date TEXT,
        harvest_date TEXT,
        expiry_date TEXT,
        derivation_kind TEXT NOT NULL,
        recall_id TEXT,
        element_string TEXT,
        search_text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_day TEXT NOT NULL,
        created_week TEXT NOT NULL,
        created_month TEXT NOT NULL,
        created_tx_id TEXT NOT NULL,
        record TEXT NOT NULL,
        ${WRITTEN_BY})`,
      `CREATE INDEX lots_gtin ON lots (gtin)`,
      `CREATE INDEX lots_producer ON lots (producer, created_at)`,
      `CREATE INDEX lots_custodian ON lots (custodian)`,
      `CREATE INDEX lots_region ON lots (origin_region, created_at)`,
      `CREATE INDEX lots_status ON lots (status, created_at)`,
      `CREATE INDEX lots_created ON lots (created_at)`,
      `CREATE INDEX lots_category ON lots (category)`,
      `CREATE TABLE lot_events (
        event_id TEXT PRIMARY KEY,
        event_type TEXT NOT NULL,
        action TEXT,
        biz_step TEXT NOT NULL,
        disposition TEXT,
        stage TEXT NOT NULL,
        event_time TEXT NOT NULL,
        event_day TEXT NOT NULL,
        event_week TEXT NOT NULL,
        event_month TEXT NOT NULL,
        record_time TEXT NOT NULL,
        responsible_msp TEXT NOT NULL,
        region TEXT,
        gln TEXT,
        record TEXT NOT NULL,
        ${WRITTEN_BY})`,
      `CREATE INDEX lot_events_time ON lot_events (event_time)`,
      `CREATE INDEX lot_events_responsible ON lot_events (responsible_msp)`,
      // Which lots an event is about, and in which role: object (quantityList), input or output (transformations).
      `CREATE TABLE lot_event_lots (
        event_id TEXT NOT NULL,
        lot_id TEXT NOT NULL,
        role TEXT NOT NULL,
        quantity DOUBLE PRECISION,
        unit TEXT,
        ${WRITTEN_BY},
        PRIMARY KEY (event_id, lot_id, role))`,
      `CREATE INDEX lot_event_lots_lot ON lot_event_lots (lot_id)`,
      `CREATE TABLE transfers (
        transfer_id TEXT PRIMARY KEY,
        lot_id TEXT NOT NULL,
        from_msp TEXT NOT NULL,
        to_msp TEXT NOT NULL,
        status TEXT NOT NULL,
        offered_at TEXT NOT NULL,
        decided_at TEXT,
        record TEXT NOT NULL,
        ${WRITTEN_BY})`,
      `CREATE INDEX transfers_lot ON transfers (lot_id)`,
      // Genealogy: the input lot was used to make the output lot.
      `CREATE TABLE genealogy (
        input_lot_id TEXT NOT NULL,
        output_lot_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        transformation_id TEXT NOT NULL,
        quantity DOUBLE PRECISION NOT NULL,
        unit TEXT NOT NULL,
        at TEXT NOT NULL,
        ${WRITTEN_BY},
        PRIMARY KEY (input_lot_id, output_lot_id))`,
      `CREATE INDEX genealogy_output ON genealogy (output_lot_id)`,
      `CREATE TABLE recalls (
        recall_id TEXT PRIMARY KEY,
        lot_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        severity TEXT NOT NULL,
        authority TEXT NOT NULL,
        initiated_by TEXT NOT NULL,
        status TEXT NOT NULL,
        discovered INTEGER NOT NULL,
        marked INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        created_day TEXT NOT NULL,
        created_week TEXT NOT NULL,
        created_month TEXT NOT NULL,
        record TEXT NOT NULL,
        ${WRITTEN_BY})`,
      `CREATE TABLE recall_scope (
        recall_id TEXT NOT NULL,
        lot_id TEXT NOT NULL,
        depth INTEGER NOT NULL,
        via TEXT NOT NULL,
        product TEXT NOT NULL,
        remaining DOUBLE PRECISION NOT NULL,
        unit TEXT NOT NULL,
        producer TEXT NOT NULL,
        custodian TEXT NOT NULL,
        region TEXT,
        marked INTEGER NOT NULL,
        ${WRITTEN_BY},
        PRIMARY KEY (recall_id, lot_id))`,
      `CREATE INDEX recall_scope_lot ON recall_scope (lot_id)`,
      `CREATE TABLE violations (
        violation_id TEXT PRIMARY KEY,
        lot_id TEXT NOT NULL,
        rule_set_id TEXT NOT NULL,
        rule_set_version INTEGER NOT NULL,
        rule_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        responsible_msp TEXT NOT NULL,
        region TEXT,
        message TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        detected_day TEXT NOT NULL,
        detected_week TEXT NOT NULL,
        detected_month TEXT NOT NULL,
        record TEXT NOT NULL,
        ${WRITTEN_BY})`,
      `CREATE INDEX violations_lot ON violations (lot_id)`,
      `CREATE INDEX violations_status ON violations (status, detected_at)`,
      `CREATE INDEX violations_responsible ON violations (responsible_msp)`,
      // Certificates and reports held for a lot (inspections, quarantine certificates).
      `CREATE TABLE lot_documents (
        lot_id TEXT NOT NULL,
        doc_type TEXT NOT NULL,
        document_id TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        issuer_msp TEXT,
        outcome TEXT,
        valid_until TEXT,
        record TEXT NOT NULL,
        ${WRITTEN_BY},
        PRIMARY KEY (lot_id, doc_type, document_id))`,
      // Every rule evaluated on one event of a lot: how many rules ran and how many failed.
      `CREATE TABLE evaluations (
        lot_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        biz_step TEXT NOT NULL,
        event_time TEXT NOT NULL,
        actor_msp TEXT NOT NULL,
        evaluated INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        ${WRITTEN_BY},
        PRIMARY KEY (lot_id, event_id))`,
      `CREATE TABLE rule_sets (
        rule_set_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        effective_from TEXT NOT NULL,
        issuer TEXT NOT NULL,
        record TEXT NOT NULL,
        ${WRITTEN_BY},
        PRIMARY KEY (rule_set_id, version))`,
      `CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        owner TEXT NOT NULL,
        status TEXT NOT NULL,
        lot_id TEXT,
        storage_category TEXT,
        batch_count INTEGER NOT NULL,
        last_sequence BIGINT,
        record TEXT NOT NULL,
        ${WRITTEN_BY})`,
      `CREATE INDEX devices_lot ON devices (lot_id)`,
      // Summaries of signed reading batches (the readings themselves stay on the ledger).
      `CREATE TABLE reading_batches (
        device_id TEXT NOT NULL,
        sequence BIGINT NOT NULL,
        lot_id TEXT,
        reading_count INTEGER NOT NULL,
        min_celsius DOUBLE PRECISION NOT NULL,
        max_celsius DOUBLE PRECISION NOT NULL,
        first_time TEXT NOT NULL,
        last_time TEXT NOT NULL,
        ${WRITTEN_BY},
        PRIMARY KEY (device_id, sequence))`,
      `CREATE INDEX reading_batches_lot ON reading_batches (lot_id)`,
    ],
  },
  {
    version: 2,
    name: 'rule results of evaluations and device readings, for the public page',
    statements: [
      // One row per rule evaluated on an event of a lot (complianceEvaluation records): what was measured against
      // which limit of which rule-set version. measured and limit_value are JSON (a number or a string such as 'ND').
      `CREATE TABLE evaluation_results (
        lot_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        rule_set_id TEXT NOT NULL,
        rule_set_version INTEGER NOT NULL,
        rule_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        outcome TEXT NOT NULL,
        measured TEXT,
        limit_value TEXT,
        unit TEXT,
        event_time TEXT NOT NULL,
        ${WRITTEN_BY},
        PRIMARY KEY (lot_id, event_id, position))`,
      `CREATE INDEX evaluation_results_event ON evaluation_results (event_id)`,
      // Every temperature reading of a device batch (deviceBatch records), for the cold-chain chart of a lot.
      `CREATE TABLE device_readings (
        device_id TEXT NOT NULL,
        sequence BIGINT NOT NULL,
        position INTEGER NOT NULL,
        lot_id TEXT,
        reading_time TEXT NOT NULL,
        celsius DOUBLE PRECISION NOT NULL,
        ${WRITTEN_BY},
        PRIMARY KEY (device_id, sequence, position))`,
      `CREATE INDEX device_readings_lot ON device_readings (lot_id, reading_time)`,
    ],
    // Stores migrated before these tables existed fill them from the records already mirrored in ledger_kv.
    reproject: ['complianceEvaluation', 'deviceBatch'],
  },
  {
    version: 3,
    name: 'recall reach: the lots downstream of a recalled lot, from the store genealogy',
    statements: [
      // Every lot a recall will mark, computed by the follower from the genealogy when it stores the recall record
      // (forward closure of the recalled lot), so that consumers are warned before the ledger has marked them all.
      // Derived, not authoritative: the ledger's mark on the lot record is (lots.status, lots.recall_id).
      `CREATE TABLE recall_reach (
        recall_id TEXT NOT NULL,
        lot_id TEXT NOT NULL,
        depth INTEGER NOT NULL,
        via TEXT,
        ${WRITTEN_BY},
        PRIMARY KEY (recall_id, lot_id))`,
      `CREATE INDEX recall_reach_lot ON recall_reach (lot_id)`,
    ],
  },
  {
    version: 4,
    name: 'single-lot events kept under their lot, with their evaluation',
    statements: [],
    // The chaincode keeps an event of one lot whole under eventByLot [lotId, recordTime, eventId]. A gateway older
    // than this version mirrored such records without projecting them (an alliance upgrades its chaincode once,
    // each member's gateway when it will): their events and evaluations are projected from the mirror. On a store
    // whose ledger holds only marker entries there, this projects nothing.
    reproject: ['eventByLot'],
  },
];
