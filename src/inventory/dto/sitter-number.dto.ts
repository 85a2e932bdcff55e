import { IsNotEmpty, IsOptional, IsString, Length } from 'class-validator';
import { IsAreaCode } from './area-code';

/** POST /detach-number */
export class DetachNumberDto {
  /**
   * The sitter, as POST /sitters answered it
   * @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11"
   */
  @IsString()
  @IsNotEmpty({ message: 'sitter_id is required' })
  @Length(1, 64)
  sitter_id!: string;
}

/** POST /attach-number */
export class AttachNumberDto extends DetachNumberDto {
  /**
   * Area code of a purchase when no standby number is ready (default: first of AREA_CODES)
   * @example "303"
   */
  @IsOptional()
  @IsAreaCode()
  area_code?: string;
}
