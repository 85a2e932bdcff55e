import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Open a session for a known client and sitter before the client's first text (Zapier). */
export class OpenSessionDto {
  /**
   * The client's id (as answered by POST /clients/sync or GET /clients/:id)
   * @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11"
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  client_id!: string;

  /**
   * The sitter's id (as answered by POST /sitters)
   * @example "0f5e3c1a-2b7d-4c55-8e0b-9d1f2a3b4c5d"
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sitter_id!: string;
}
