/** The default stock of every area code nobody configured: enough for any test or demo. */
export const DEFAULT_STOCK_PER_AREA_CODE = 100;

// A few Colorado codes get a place name so search answers look like Twilio's.
const LOCALITIES: Record<string, { locality: string; region: string }> = {
  '303': { locality: 'Denver', region: 'CO' },
  '720': { locality: 'Denver', region: 'CO' },
  '719': { locality: 'Colorado Springs', region: 'CO' },
  '970': { locality: 'Fort Collins', region: 'CO' },
};

/** NANP geographic area code: 2-9, then 0-8, and not an N11 service code. */
export function isUsAreaCode(areaCode: string): boolean {
  return /^[2-9][0-8]\d$/.test(areaCode) && !/^[2-9]11$/.test(areaCode);
}

export function areaCodeOf(phone: string): string | null {
  const match = /^\+1(\d{3})\d{7}$/.exec(phone);
  return match ? match[1] : null;
}

export function localityOf(areaCode: string): { locality: string | null; region: string | null } {
  return LOCALITIES[areaCode] ?? { locality: null, region: null };
}

/**
 * Local numbers for sale, per area code. Stock is generated on first sight of
 * an area code (555-01xx lines, the range reserved for fiction, then further
 * exchanges when more are asked for); a number once sold is never offered again.
 */
export class NumberStock {
  private readonly stock = new Map<string, string[]>();
  private readonly sold = new Set<string>();

  forSale(areaCode: string): string[] {
    if (!isUsAreaCode(areaCode)) return [];
    let numbers = this.stock.get(areaCode);
    if (!numbers) {
      numbers = this.generate(areaCode, DEFAULT_STOCK_PER_AREA_CODE);
      this.stock.set(areaCode, numbers);
    }
    return numbers;
  }

  /** A count generates that many numbers; a list is taken as it is. */
  set(areaCode: string, countOrList: number | string[]): void {
    const numbers = typeof countOrList === 'number' ? this.generate(areaCode, countOrList) : countOrList.filter((n) => !this.sold.has(n));
    this.stock.set(areaCode, numbers);
  }

  /** Removes a number from sale; false when it was not for sale. */
  take(phone: string): boolean {
    const areaCode = areaCodeOf(phone);
    if (areaCode) this.forSale(areaCode);
    for (const [code, numbers] of this.stock) {
      const index = numbers.indexOf(phone);
      if (index >= 0) {
        this.stock.set(code, [...numbers.slice(0, index), ...numbers.slice(index + 1)]);
        this.sold.add(phone);
        return true;
      }
    }
    return false;
  }

  reset(): void {
    this.stock.clear();
    this.sold.clear();
  }

  private generate(areaCode: string, count: number): string[] {
    const numbers: string[] = [];
    for (let i = 0; numbers.length < count; i++) {
      const exchange = 555 + Math.floor(i / 100);
      const line = String(100 + (i % 100)).padStart(4, '0');
      const phone = `+1${areaCode}${exchange}${line}`;
      if (!this.sold.has(phone)) numbers.push(phone);
    }
    return numbers;
  }
}
