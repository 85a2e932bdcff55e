/** Which halves of the service this process runs (`npm start` runs both). */
export class ProcessRoles {
  constructor(
    readonly api: boolean,
    readonly workers: boolean,
  ) {}
}
