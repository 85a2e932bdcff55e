import { RecordNotFoundError } from '../ports';
import { AirtableGateway, AirtableRow, ListOptions } from './airtable-gateway';
import { eq, Formula } from './airtable-formula';
import { fieldsOf } from './airtable-mappers';
import { FieldKey, ResolvedTable, TableKey } from './airtable-schema';

export type TableValues<K extends TableKey> = Partial<Record<FieldKey<K>, unknown>>;
export type TableSort<K extends TableKey> = [FieldKey<K>, 'asc' | 'desc'][];

/**
 * One table seen through its logical field names: the repositories' shared
 * plumbing (lookups, updates that throw RecordNotFoundError, keyed creates
 * and the post-create uniqueness check).
 */
export class AirtableTable<K extends TableKey, D extends { id: string }> {
  constructor(
    private readonly gateway: AirtableGateway,
    readonly t: ResolvedTable<K>,
    private readonly entity: string,
    private readonly toDomain: (row: AirtableRow, t: ResolvedTable<K>) => D,
  ) {}

  get name(): string {
    return this.t.name;
  }

  field(k: FieldKey<K>): string {
    return this.t.fields[k];
  }

  eq(k: FieldKey<K>, value: string): Formula {
    return eq(this.t.fields[k], value);
  }

  map = (row: AirtableRow): D => this.toDomain(row, this.t);

  async find(id: string): Promise<D | null> {
    const row = await this.gateway.find(this.name, id);
    return row && this.map(row);
  }

  async list(filter?: Formula, sort: TableSort<K> = [], opts: Omit<ListOptions, 'filter' | 'sort'> = {}): Promise<D[]> {
    const rows = await this.gateway.list(this.name, { ...opts, filter, sort: this.sort(sort) });
    return rows.map(this.map);
  }

  async first(filter: Formula, sort: TableSort<K> = []): Promise<D | null> {
    return (await this.list(filter, sort, { maxRecords: 1 }))[0] ?? null;
  }

  /** how many records match, reading one short field per record */
  async count(filter: Formula | undefined, field: FieldKey<K>): Promise<number> {
    return (await this.gateway.list(this.name, { filter, fields: [this.field(field)] })).length;
  }

  async update(id: string, values: TableValues<K>): Promise<D> {
    const row = await this.gateway.updateRecord(this.name, id, fieldsOf(this.t, values));
    if (!row) throw new RecordNotFoundError(this.entity, id);
    return this.map(row);
  }

  async create(values: TableValues<K>[], key: FieldKey<K>): Promise<D[]> {
    const rows = await this.gateway.create(
      this.name,
      values.map((v) => fieldsOf(this.t, v)),
      this.field(key),
    );
    return rows.map(this.map);
  }

  async delete(ids: string[]): Promise<void> {
    await this.gateway.delete(this.name, ids);
  }

  /**
   * Re-read after a write made under a lock: if a lock expired or someone
   * wrote in Airtable directly, several records may now match `filter`. The
   * first in `order` wins, the same answer for every process.
   */
  async confirmUnique(record: D, filter: Formula, order: TableSort<K>): Promise<{ winner: D; won: boolean }> {
    const winner = (await this.first(filter, order)) ?? record;
    return { winner, won: winner.id === record.id };
  }

  /** confirmUnique for a record we just created: a losing one is deleted again */
  async confirmCreated(created: D, filter: Formula, order: TableSort<K>): Promise<{ winner: D; won: boolean }> {
    const outcome = await this.confirmUnique(created, filter, order);
    if (!outcome.won) await this.delete([created.id]);
    return outcome;
  }

  private sort(sort: TableSort<K>) {
    return sort.map(([k, direction]) => ({ field: this.field(k), direction }));
  }
}
