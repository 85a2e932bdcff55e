import {
  AuditLog,
  ClientRepository,
  MessageLog,
  NumberRepository,
  SessionRepository,
  SitterRepository,
  StoreHealth,
} from '../ports';

/** Everything a storage driver provides, as the contract suite sees it. */
export interface StorePorts {
  sitters: SitterRepository;
  clients: ClientRepository;
  numbers: NumberRepository;
  sessions: SessionRepository;
  messages: MessageLog;
  audit: AuditLog;
  health: StoreHealth;
  /** lands queued writes (write-behind message/audit queues) before the test reads them */
  flush?: () => Promise<void>;
}

/** Opens an EMPTY store; called before every test, cleanup after it. */
export type MakeStore = () => Promise<{ ports: StorePorts; cleanup: () => Promise<void> }>;

/** The store of the running test, set by describeStoreContract's beforeEach. */
export type CurrentStore = () => StorePorts;
